// A program that uses an installed aui through find_package(aui).
#include <aui/local_runtime.hpp>

#include <iostream>

int main() {
  aui::LocalRuntime rt([](const aui::ChatModelRunOptions& options) {
    return aui::ChatModelRunResult::text("echo: " + options.messages.back()->text());
  });
  rt.wait(rt.thread().append("hi"));
  const auto reply = rt.thread().messages().back()->text();
  std::cout << reply << '\n';
  return reply == "echo: hi" ? 0 : 1;
}
