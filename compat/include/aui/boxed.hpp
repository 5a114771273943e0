#pragma once
// Moved to <aui/support/boxed.hpp>; this path keeps working for the 0.x releases.
#include <aui/support/boxed.hpp>
