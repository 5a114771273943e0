#pragma once
// Moved to <aui/adapters/static_suggestion_adapter.hpp>; this path keeps working for the 0.x
// releases.
#include <aui/adapters/static_suggestion_adapter.hpp>
