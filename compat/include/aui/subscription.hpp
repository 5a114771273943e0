#pragma once
// Moved to <aui/support/subscription.hpp>; this path keeps working for the 0.x releases.
#include <aui/support/subscription.hpp>
