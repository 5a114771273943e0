#pragma once
// Moved to <aui/model/json.hpp>; this path keeps working for the 0.x releases.
#include <aui/model/json.hpp>
