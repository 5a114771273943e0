#pragma once
// Moved to <aui/streaming/anthropic_stream.hpp>; this path keeps working for the 0.x releases.
#include <aui/streaming/anthropic_stream.hpp>
