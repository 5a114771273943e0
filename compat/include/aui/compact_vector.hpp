#pragma once
// Moved to <aui/support/compact_vector.hpp>; this path keeps working for the 0.x releases.
#include <aui/support/compact_vector.hpp>
