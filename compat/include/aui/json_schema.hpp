#pragma once
// Moved to <aui/runtime/json_schema.hpp>; this path keeps working for the 0.x releases.
#include <aui/runtime/json_schema.hpp>
