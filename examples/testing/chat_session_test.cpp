// Tests of app::ChatSession with aui::testing and no test framework: each check prints what
// failed and the program exits non-zero (ctest runs it as example.testing).

#include <aui/testing.hpp>

#include <iostream>
#include <string>

#include "chat_session.hpp"

namespace {

int failures = 0;

void check_eq(const std::string& actual, const std::string& expected, const char* what) {
  if (actual == expected) return;
  ++failures;
  std::cerr << "FAILED: " << what << ": got \"" << actual << "\", expected \"" << expected
            << "\"\n";
}

using aui::testing::Driver;
using aui::testing::Gate;
using aui::testing::ScriptedAdapter;
using aui::testing::Step;

// The status line follows a streamed reply: thinking, typing, then nothing.
void status_follows_a_streamed_reply() {
  Driver driver;
  ScriptedAdapter model(driver);
  Gate before_first_words, mid_reply;
  model.stream({Step::wait(before_first_words), Step::yield("Hello"), Step::wait(mid_reply),
                Step::yield("Hello, world")});
  app::ChatSession chat(model, driver.dispatcher(), driver.executor());

  chat.send("hi");
  driver.settle();  // the model waits at the first gate
  check_eq(chat.status_line(), "Thinking…", "before the first words");
  before_first_words.release();
  driver.settle();
  check_eq(chat.status_line(), "Typing…", "while the reply streams");
  check_eq(chat.last_reply(), "Hello", "the reply so far");
  mid_reply.release();
  driver.settle();
  check_eq(chat.status_line(), "", "after the reply");
  check_eq(chat.last_reply(), "Hello, world", "the whole reply");
}

// Stop ends a reply the backend has not answered yet.
void stop_ends_a_pending_reply() {
  Driver driver;
  ScriptedAdapter model(driver);
  model.hang();  // answers only when stopped
  app::ChatSession chat(model, driver.dispatcher(), driver.executor());
  chat.send("hi");
  driver.settle();
  check_eq(chat.status_line(), "Thinking…", "while the backend is silent");
  chat.stop();
  driver.settle();
  check_eq(chat.status_line(), "Stopped.", "after stop");
}

// A failure of the backend is shown in words; the next message is answered normally.
void a_failure_is_shown_and_the_next_message_works() {
  Driver driver;
  ScriptedAdapter model(driver);
  model.fail("the service is busy").defer();
  app::ChatSession chat(model, driver.dispatcher(), driver.executor());
  chat.send("hi");
  driver.settle();
  check_eq(chat.status_line(), "Something went wrong: the service is busy", "after a failure");
  chat.send("again");
  driver.settle();
  check_eq(chat.status_line(), "Thinking…", "while the second call is deferred");
  model.resolve(2, "Here you are.");
  driver.settle();
  check_eq(chat.last_reply(), "Here you are.", "the second reply");
  if (model.call_count() != 2) {
    ++failures;
    std::cerr << "FAILED: expected 2 model calls, got " << model.call_count() << "\n";
  }
}

}  // namespace

int main() {
  status_follows_a_streamed_reply();
  stop_ends_a_pending_reply();
  a_failure_is_shown_and_the_next_message_works();
  if (failures == 0) std::cout << "all chat session checks passed\n";
  return failures == 0 ? 0 : 1;
}
