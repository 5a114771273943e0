#pragma once
// The offline demo adapter: a chat model that needs no backend, so a chat visibly works at once.

#include <chrono>
#include <cstddef>

#include "aui/adapters/chat_model_adapter.hpp"

namespace aui {

struct DemoOptions {
  /// Pause between chunks, so the reply streams at a readable pace. Zero: no pauses.
  std::chrono::milliseconds chunk_delay{30};
  /// Characters per chunk.
  std::size_t chunk_chars = 3;
};

/// A streaming adapter that composes a reply from the conversation (it says it is a demo, echoes
/// the user, answers "help", tells a long story on request so cancelling can be tried) and
/// streams it. Each reply is numbered and phrased by how many replies this adapter composed
/// before, so a regenerate reads differently while a fresh adapter given the same calls gives the
/// same replies. Cancelling stops it at once, even during a pause.
ChatModelAdapter make_demo_adapter(DemoOptions options = {});

}  // namespace aui
