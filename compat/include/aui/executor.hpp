#pragma once
// Moved to <aui/support/executor.hpp>; this path keeps working for the 0.x releases.
#include <aui/support/executor.hpp>
