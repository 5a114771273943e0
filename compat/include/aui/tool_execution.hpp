#pragma once
// Moved to <aui/runtime/tool_execution.hpp>; this path keeps working for the 0.x releases.
#include <aui/runtime/tool_execution.hpp>
