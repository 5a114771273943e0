#pragma once
// Moved to <aui/streaming/sse_parser.hpp>; this path keeps working for the 0.x releases.
#include <aui/streaming/sse_parser.hpp>
