// A program that uses an installed aui through find_package(aui).
#include <aui/local_runtime.hpp>

#include <iostream>
#ifdef AUI_CONSUMER_HAS_BACKENDS
#include <aui/backends/openai_adapter.hpp>
#endif

int main() {
#ifdef AUI_CONSUMER_HAS_BACKENDS
  if (!aui::make_openai_adapter(aui::OpenAISettings{})) return 1;
#endif
  aui::LocalRuntime rt([](const aui::ChatModelRunOptions& options) {
    return aui::ChatModelRunResult::text("echo: " + options.messages.back()->text());
  });
  rt.wait(rt.thread().append("hi"));
  const auto reply = rt.thread().messages().back()->text();
  std::cout << reply << '\n';
  return reply == "echo: hi" ? 0 : 1;
}
