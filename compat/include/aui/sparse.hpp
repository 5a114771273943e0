#pragma once
// Moved to <aui/support/sparse.hpp>; this path keeps working for the 0.x releases.
#include <aui/support/sparse.hpp>
