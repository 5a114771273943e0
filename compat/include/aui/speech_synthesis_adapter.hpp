#pragma once
// Moved to <aui/adapters/speech_synthesis_adapter.hpp>; this path keeps working for the 0.x
// releases.
#include <aui/adapters/speech_synthesis_adapter.hpp>
