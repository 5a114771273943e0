#pragma once
// Moved to <aui/model/message_json.hpp>; this path keeps working for the 0.x releases.
#include <aui/model/message_json.hpp>
