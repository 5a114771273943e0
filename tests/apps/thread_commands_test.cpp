// aui-chat's thread numbers (ChatThreads): a number stays with its thread whatever happens to
// the list's order, and two threads never show the same number. A real LocalRuntime with the
// in-memory thread list; no store.

#include "thread_commands.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <string>

#include "aui/demo/demo_adapter.hpp"
#include "aui/local_runtime.hpp"

namespace {

struct Threads {
  Threads() : rt(aui::make_demo_adapter({std::chrono::milliseconds(0), 3})) {}

  // A new thread with one exchange in it; returns its id.
  std::string new_thread(const std::string& text) {
    rt.wait(rt.threads().switch_to_new_thread());
    rt.wait(rt.thread().append(text));
    return rt.threads().main_thread_id();
  }
  // Runs a thread command to its end; returns what it printed and the error it reported.
  std::string command(const std::string& name, const std::string& args) {
    out.str("");
    bool finished = false;
    std::string failure;
    threads.run(
        name, args, [](aui::ThreadRuntime&) {},
        [&](const std::string& error) {
          failure = error;
          finished = true;
        });
    rt.event_loop()->run_until([&] { return finished; });
    return failure.empty() ? out.str() : "error: " + failure;
  }

  std::ostringstream out;
  aui::LocalRuntime rt;
  aui::chat::ChatThreads threads{rt.threads(), nullptr, out};
};

TEST(ThreadNumbers, OldestFirstAndKeptWhenTheOrderChanges) {
  Threads t;
  const auto first = t.new_thread("about pelicans");
  const auto second = t.new_thread("about otters");
  EXPECT_EQ(t.threads.number_of(first), 1);
  EXPECT_EQ(t.threads.number_of(second), 2);
  // A reply in the older thread lists it first; its number does not move.
  t.rt.wait(t.rt.threads().switch_to_thread(first));
  t.rt.wait(t.rt.thread().append("more about pelicans"));
  EXPECT_EQ(t.threads.number_of(first), 1);
  EXPECT_EQ(t.threads.number_of(second), 2);
  // A thread made later gets the next number, and archiving renumbers nothing.
  const auto third = t.new_thread("about herons");
  t.rt.wait(t.rt.threads().archive(second));
  EXPECT_EQ(t.threads.number_of(third), 3);
  EXPECT_EQ(t.threads.number_of(second), 2);
  EXPECT_EQ(t.threads.numbered(2), second);
  EXPECT_EQ(t.threads.numbered(4), std::nullopt);
}

TEST(ThreadNumbers, AreKeptWithTheThreadBesideOtherCustomMetadata) {
  Threads t;
  const auto id = t.new_thread("about pelicans");
  t.rt.wait(t.rt.threads().update_custom(id, aui::Json{{"colour", "blue"}}));
  ASSERT_EQ(t.threads.number_of(id), 1);
  const auto item = t.rt.threads().item(id);
  ASSERT_TRUE(item && item->custom);
  EXPECT_EQ(item->custom->value("colour", ""), "blue");
  EXPECT_EQ(item->custom->value("aui-chat.number", 0), 1);
}

TEST(ThreadNumbers, TwoThreadsWithOneNumberAreTold) {
  // Two processes numbering at once can both give 1: one keeps it, the other gets a new one.
  Threads t;
  const auto a = t.new_thread("about pelicans");
  const auto b = t.new_thread("about otters");
  t.rt.wait(t.rt.threads().update_custom(a, aui::Json{{"aui-chat.number", 1}}));
  t.rt.wait(t.rt.threads().update_custom(b, aui::Json{{"aui-chat.number", 1}}));
  const auto na = t.threads.number_of(a);
  const auto nb = t.threads.number_of(b);
  ASSERT_TRUE(na && nb);
  EXPECT_NE(*na, *nb);
  EXPECT_TRUE(*na == 1 || *nb == 1);
  EXPECT_EQ(std::max(*na, *nb), 2);
}

TEST(ThreadNumbers, CommandsTakeNumbersAndSayWhatIsWrong) {
  Threads t;
  EXPECT_EQ(t.command("/switch", "1"), "error: there are no saved threads yet");
  const auto first = t.new_thread("about pelicans");
  const auto second = t.new_thread("about otters");
  EXPECT_NE(t.command("/switch", "1").find("(thread 1: "), std::string::npos);
  EXPECT_EQ(t.rt.threads().main_thread_id(), first);
  EXPECT_EQ(t.command("/switch", "7"),
            "error: there is no thread 7 (/threads lists them with their numbers)");
  EXPECT_EQ(t.command("/switch", "two"),
            "error: usage: /switch N (a thread's number, as /threads shows it)");
  EXPECT_EQ(t.command("/unarchive", "2"), "error: thread 2 is not archived");
  const auto listing = t.command("/threads", "");
  // Newest first (the thread just switched to had no new reply: otters is newest), each with
  // its own number; the one shown is starred.
  EXPECT_LT(listing.find("2  "), listing.find("1* ")) << listing;
  (void)second;
}

}  // namespace
