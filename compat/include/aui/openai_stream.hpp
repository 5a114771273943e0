#pragma once
// Moved to <aui/streaming/openai_stream.hpp>; this path keeps working for the 0.x releases.
#include <aui/streaming/openai_stream.hpp>
