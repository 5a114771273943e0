#pragma once
// Moved to <aui/runtime/message_queue.hpp>; this path keeps working for the 0.x releases.
#include <aui/runtime/message_queue.hpp>
