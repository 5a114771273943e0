#pragma once
// Moved to <aui/adapters/thread_store.hpp>; this path keeps working for the 0.x releases.
#include <aui/adapters/thread_store.hpp>
