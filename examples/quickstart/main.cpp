// Sends one message to a REST endpoint through aui and prints the reply:
//   aui_example_quickstart URL "your message"   (or set AUI_EXAMPLE_URL)
#include <cstdlib>
#include <iostream>

#include <aui/local_runtime.hpp>

#include "rest_adapter.hpp"

int main(int argc, char** argv) {
  const char* env = std::getenv("AUI_EXAMPLE_URL");
  const std::string url = argc > 1 ? argv[1] : (env ? env : "");
  if (url.empty()) {
    std::cerr << "usage: aui_example_quickstart URL [message]  (or set AUI_EXAMPLE_URL)\n";
    return 2;
  }
  aui::LocalRuntime rt(make_rest_adapter(url));
  auto& thread = rt.thread();
  rt.event_loop()->run_until(thread.append(argc > 2 ? argv[2] : "Hello!"));
  const auto& reply = *thread.messages().back();
  if (reply.status.type == aui::StatusType::Incomplete) {
    std::cerr << "failed: " << reply.status.error.dump() << '\n';
    return 1;
  }
  std::cout << reply.text() << '\n';
}
