// The README's 20-line custom adapter, built in CI so the README never shows code that does not
// compile. Keep the two in sync.
#include <aui/local_runtime.hpp>
#include <iostream>

int main() {
  // The run function: gets the branch so far, returns (or streams) the reply.
  aui::LocalRuntime rt([](const aui::ChatModelRunOptions& options, aui::RunResultSink& sink) {
    aui::Text reply;  // grows in place; every yield shares it instead of copying
    for (const std::string& word :
         {std::string("You "), std::string("said: "), options.messages.back()->text()}) {
      if (options.stop_token.stop_requested()) return;  // cancel
      reply += word;
      sink.yield(aui::ChatModelRunResult::text(reply));  // cumulative, not a delta
    }
  });
  auto& thread = rt.thread();
  auto sub = thread.subscribe([&] { std::cout << thread.messages().back()->text() << "\n"; });
  rt.wait(thread.append("hello"));
}
