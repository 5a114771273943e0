#pragma once
// Moved to <aui/adapters/thread_history_adapter.hpp>; this path keeps working for the 0.x releases.
#include <aui/adapters/thread_history_adapter.hpp>
