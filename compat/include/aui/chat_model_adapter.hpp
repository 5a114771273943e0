#pragma once
// Moved to <aui/adapters/chat_model_adapter.hpp>; this path keeps working for the 0.x releases.
#include <aui/adapters/chat_model_adapter.hpp>
