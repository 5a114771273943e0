#pragma once
// Moved to <aui/tree/message_repository.hpp>; this path keeps working for the 0.x releases.
#include <aui/tree/message_repository.hpp>
