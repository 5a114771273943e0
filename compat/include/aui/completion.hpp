#pragma once
// Moved to <aui/support/completion.hpp>; this path keeps working for the 0.x releases.
#include <aui/support/completion.hpp>
