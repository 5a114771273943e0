#pragma once
// Moved to <aui/adapters/attachment_adapter.hpp>; this path keeps working for the 0.x releases.
#include <aui/adapters/attachment_adapter.hpp>
