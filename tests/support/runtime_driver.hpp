#pragma once
// What our own suites add to the public test support (aui/testing.hpp: Driver, Gate, CallLog,
// ScriptedAdapter): the shorthands of the conformance scenarios' notation and helpers for
// assertions. Applications use aui/testing.hpp directly.

#include <gtest/gtest.h>

#include <optional>
#include <stop_token>
#include <string>

#include "aui/adapters/chat_model_adapter.hpp"
#include "aui/runtime/thread_runtime.hpp"
#include "aui/testing.hpp"

namespace aui::testing {

/// The old name of wait_for_stop(), which the suites use.
inline void wait_for_abort(Driver& d, std::stop_token stop) { wait_for_stop(d, std::move(stop)); }

// Result and part shorthands of the scenario notation.
ChatModelRunResult T(const std::string& text);
ToolCallPart TC(const std::string& name, const std::string& id);
ChatModelRunResult RA(Content parts);
Approval GATE(const std::string& id);
AppendMessage U(const std::string& text);
AppendMessage U(const std::string& text, const Id& parent,
                std::optional<bool> start_run = std::nullopt);

/// `[u"hi", a"Hello"·cu]`: the current branch in the scenario notation, for assertions.
std::string branch_string(const ThreadRuntime& thread);
std::string message_string(const ThreadMessage& m);

/// The kind of the aui::Error a completion failed with, or nullopt when it did not fail so.
std::optional<ErrorKind> failure_kind(const Completion& c);
std::string failure_message(const Completion& c);

}  // namespace aui::testing
