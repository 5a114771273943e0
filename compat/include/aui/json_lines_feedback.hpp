#pragma once
// Moved to <aui/adapters/json_lines_feedback.hpp>; this path keeps working for the 0.x releases.
#include <aui/adapters/json_lines_feedback.hpp>
