#pragma once
// Moved to <aui/demo/demo_tools.hpp>; this path keeps working for the 0.x releases.
#include <aui/demo/demo_tools.hpp>
