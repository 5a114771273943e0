#pragma once
// Moved to <aui/runtime/model_context.hpp>; this path keeps working for the 0.x releases.
#include <aui/runtime/model_context.hpp>
