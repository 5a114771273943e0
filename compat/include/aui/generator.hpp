#pragma once
// Moved to <aui/support/generator.hpp>; this path keeps working for the 0.x releases.
#include <aui/support/generator.hpp>
