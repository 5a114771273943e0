#pragma once
// Moved to <aui/runtime/composer.hpp>; this path keeps working for the 0.x releases.
#include <aui/runtime/composer.hpp>
