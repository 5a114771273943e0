// Sends one message to a REST endpoint through aui and prints the reply:
//   aui_example_quickstart URL "your message"
//   AUI_EXAMPLE_URL=URL aui_example_quickstart "your message"
#include <cstdlib>
#include <iostream>
#include <string>

#include <aui/local_runtime.hpp>

#include "rest_adapter.hpp"

int main(int argc, char** argv) {
  int arg = 1;
  const char* env = std::getenv("AUI_EXAMPLE_URL");
  const std::string url = env && *env ? env : (arg < argc ? argv[arg++] : "");
  if (url.empty()) {
    std::cerr << "usage: aui_example_quickstart URL [message]  (or set AUI_EXAMPLE_URL)\n";
    return 2;
  }
  aui::LocalRuntime rt(make_rest_adapter(url));
  auto& thread = rt.thread();
  rt.event_loop()->run_until(thread.append(arg < argc ? argv[arg] : "Hello!"));
  const auto& reply = *thread.messages().back();
  if (reply.status.type == aui::StatusType::Incomplete) {
    const aui::Json& error = reply.status.error;
    std::cerr << "failed: "
              << (error.contains("message") ? error["message"].get<std::string>() : error.dump())
              << '\n';
    return 1;
  }
  std::cout << reply.text() << '\n';
}
