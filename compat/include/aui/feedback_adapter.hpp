#pragma once
// Moved to <aui/adapters/feedback_adapter.hpp>; this path keeps working for the 0.x releases.
#include <aui/adapters/feedback_adapter.hpp>
