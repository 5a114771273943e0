// Two streaming adapters — the sink form and a C++20 coroutine — with a view that prints the
// reply as it grows.
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <aui/local_runtime.hpp>

namespace {

std::vector<std::string> words_of(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w + " ");
  return words;
}

// Sink form: yield the answer so far, as it grows. One Text grows; each yield shares it.
void stream_words(const aui::ChatModelRunOptions& options, aui::RunResultSink& sink) {
  aui::Text reply;
  for (const auto& word : words_of("Streaming back: " + options.messages.back()->text())) {
    if (options.stop_token.stop_requested()) return;  // cancelled
    reply += word;
    sink.yield(aui::ChatModelRunResult::text(reply));
  }
}

// Coroutine form: the same with co_yield.
aui::Generator<aui::ChatModelRunResult> stream_words_coroutine(
    const aui::ChatModelRunOptions& options) {
  aui::Text reply;
  for (const auto& word : words_of("Coroutine says: " + options.messages.back()->text())) {
    if (options.stop_token.stop_requested()) co_return;  // cancelled
    reply += word;
    co_yield aui::ChatModelRunResult::text(reply);
  }
}

void chat(aui::ChatModelAdapter adapter, const std::string& message) {
  aui::LocalRuntime rt(std::move(adapter));
  auto& thread = rt.thread();
  std::size_t shown = 0;
  auto view = thread.subscribe([&] {
    const auto& last = *thread.messages().back();
    if (last.role != aui::Role::Assistant) return;
    const std::string text = last.text();
    if (text.size() > shown) std::cout << text.substr(shown) << std::flush;
    shown = text.size();
  });
  rt.wait(thread.append(message));
  std::cout << '\n';
}

}  // namespace

int main() {
  chat(stream_words, "the quick brown fox");
  chat(stream_words_coroutine, "jumps over the lazy dog");
}
