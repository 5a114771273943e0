#pragma once
// Moved to <aui/support/dispatcher.hpp>; this path keeps working for the 0.x releases.
#include <aui/support/dispatcher.hpp>
