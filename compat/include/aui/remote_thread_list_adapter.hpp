#pragma once
// Moved to <aui/adapters/remote_thread_list_adapter.hpp>; this path keeps working for the 0.x
// releases.
#include <aui/adapters/remote_thread_list_adapter.hpp>
