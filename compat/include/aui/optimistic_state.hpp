#pragma once
// Moved to <aui/runtime/optimistic_state.hpp>; this path keeps working for the 0.x releases.
#include <aui/runtime/optimistic_state.hpp>
