#pragma once
// Moved to <aui/streaming/delta_accumulator.hpp>; this path keeps working for the 0.x releases.
#include <aui/streaming/delta_accumulator.hpp>
