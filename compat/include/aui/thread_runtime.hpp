#pragma once
// Moved to <aui/runtime/thread_runtime.hpp>; this path keeps working for the 0.x releases.
#include <aui/runtime/thread_runtime.hpp>
