#pragma once
// Moved to <aui/model/message.hpp>; this path keeps working for the 0.x releases.
#include <aui/model/message.hpp>
