#pragma once
// Moved to <aui/support/errors.hpp>; this path keeps working for the 0.x releases.
#include <aui/support/errors.hpp>
