#pragma once
// The quick start: a chat model adapter for a custom REST endpoint.

#include <string>

#include <aui/adapters/chat_model_adapter.hpp>

/// Posts the branch's messages as JSON ({"messages": [{"role", "content"}...]}) to `url` and
/// returns the reply's {"text": ...}. Cancelling the run aborts the request.
aui::ChatModelAdapter make_rest_adapter(std::string url);
