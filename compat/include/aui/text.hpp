#pragma once
// Moved to <aui/model/text.hpp>; this path keeps working for the 0.x releases.
#include <aui/model/text.hpp>
