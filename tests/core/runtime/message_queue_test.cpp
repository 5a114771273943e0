// The message queue (spec §9) against the scenarios of section L and the rules around them.

#include <gtest/gtest.h>

#include <deque>
#include <set>

#include "aui/runtime/thread_runtime.hpp"
#include "aui/support/errors.hpp"
#include "aui/testing.hpp"
#include "support/runtime_driver.hpp"

namespace {

using namespace aui;
using namespace aui::testing;

class Queue : public ::testing::Test {
 protected:
  // Call k waits on gate k, then answers "done" (or fails, for the calls listed in `failing`).
  void make(const std::function<void(ThreadRuntimeOptions&)>& tweak = {}) {
    ThreadRuntimeOptions o;
    o.chat_model = [this](const ChatModelRunOptions& opts, RunResultSink& sink) {
      const std::size_t k = [&] {
        std::lock_guard lock(mutex);
        calls.record(opts);
        return calls.size();
      }();
      if (failing.count(k)) throw std::runtime_error("call " + std::to_string(k) + " failed");
      gates.at(k - 1).wait(*d);
      if (opts.stop_token.stop_requested()) return;
      sink.yield(T("done"));
    };
    o.dispatcher = d->dispatcher();
    o.executor = d->executor();
    o.enable_message_queue = true;
    o.on_error = [this](const std::string& m) { errors.push_back(m); };
    if (tweak) tweak(o);
    thread = std::make_unique<ThreadRuntime>(std::move(o));
  }
  void settle() { d->settle(); }
  std::vector<std::string> prompts() {
    std::vector<std::string> out;
    for (const auto& item : thread->composer().queue()) out.push_back(item.prompt);
    return out;
  }
  std::vector<std::string> user_texts() {
    std::vector<std::string> out;
    for (const auto& m : thread->messages()) {
      if (m->role == Role::User) out.push_back(m->text());
    }
    return out;
  }
  void send(const std::string& text, std::optional<bool> steer = std::nullopt) {
    thread->composer().set_text(text);
    thread->composer().send({.steer = steer});
  }
  void TearDown() override {
    for (auto& g : gates) g.release();
    settle();
    thread.reset();
  }

  std::shared_ptr<Driver> d = std::make_shared<Driver>();
  std::mutex mutex;
  CallLog calls;
  std::set<std::size_t> failing;
  std::deque<Gate> gates = std::deque<Gate>(12);
  std::vector<std::string> errors;
  std::unique_ptr<ThreadRuntime> thread;
};

// Spec §11.1: the thread composer notifies when the queue it shows changes, however it changed.
TEST_F(Queue, TheComposerNotifiesWhenTheQueueItShowsChanges) {
  make();
  thread->append(U("first"));
  settle();
  ASSERT_TRUE(thread->is_running());
  int notified = 0;
  auto sub = thread->composer().subscribe([&] { ++notified; });
  thread->append(U("second"));  // queued behind the run, not sent through the composer
  settle();
  EXPECT_EQ(prompts(), std::vector<std::string>{"second"});
  EXPECT_GE(notified, 1);
  notified = 0;
  thread->queue()->remove(thread->composer().queue().at(0).id);
  EXPECT_TRUE(prompts().empty());
  EXPECT_GE(notified, 1);
  thread->append(U("third"));
  settle();
  notified = 0;
  thread->set_message_queue_enabled(false);  // the items it showed are gone
  EXPECT_TRUE(prompts().empty());
  EXPECT_GE(notified, 1);
}

TEST_F(Queue, TheOptionSetsTheCapabilityAndTurningItOffDropsTheItems) {
  make([](ThreadRuntimeOptions& o) { o.enable_message_queue = false; });
  EXPECT_FALSE(thread->capabilities().queue);
  EXPECT_EQ(thread->queue(), nullptr);
  thread->set_message_queue_enabled(true);
  EXPECT_TRUE(thread->capabilities().queue);
  send("first");
  settle();
  send("second");
  EXPECT_EQ(prompts(), std::vector<std::string>{"second"});
  thread->set_message_queue_enabled(false);
  EXPECT_FALSE(thread->capabilities().queue);
  EXPECT_TRUE(thread->composer().queue().empty());
  gates[0].release();
  settle();
  EXPECT_EQ(calls.size(), 1u);  // nothing left to dispatch
}

TEST_F(Queue, S154_ASendDuringARunIsHeldAndFlushed) {
  make();
  send("first");
  settle();
  EXPECT_EQ(calls.size(), 1u);
  send("second");
  settle();
  EXPECT_EQ(prompts(), std::vector<std::string>{"second"});
  EXPECT_EQ(user_texts(), std::vector<std::string>{"first"});
  gates[0].release();
  settle();
  EXPECT_TRUE(prompts().empty());
  EXPECT_EQ(user_texts(), (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(calls.size(), 2u);
}

TEST_F(Queue, S155_QueuedItemsDrainOnePerRun) {
  make();
  send("first");
  settle();
  send("a", false);
  send("b", false);
  gates[0].release();
  settle();
  EXPECT_EQ(calls.size(), 2u);
  EXPECT_EQ(prompts(), std::vector<std::string>{"b"});
  gates[1].release();
  settle();
  EXPECT_EQ(calls.size(), 3u);
  EXPECT_EQ(user_texts(), (std::vector<std::string>{"first", "a", "b"}));
}

TEST_F(Queue, S157_RemovingAQueuedItemAndUnknownIds) {
  make();
  send("first");
  settle();
  send("a");
  send("b");
  const auto items = thread->composer().queue();
  ASSERT_EQ(items.size(), 2u);
  thread->queue()->remove(items[0].id);
  EXPECT_EQ(prompts(), std::vector<std::string>{"b"});
  thread->queue()->remove("nope");  // a no-op
  EXPECT_EQ(prompts(), std::vector<std::string>{"b"});
  try {
    thread->queue()->edit("nope", AppendMessage::user("x"));
    ADD_FAILURE() << "expected UnknownQueueItem";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::UnknownQueueItem);
  }
  // An edit keeps the id and the place.
  thread->queue()->edit(items[1].id, AppendMessage::user("b2"));
  EXPECT_EQ(thread->composer().queue()[0].id, items[1].id);
  EXPECT_EQ(prompts(), std::vector<std::string>{"b2"});
}

TEST_F(Queue, S158_CancelClearsTheQueueByDefault) {
  make();
  send("first");
  settle();
  send("a");
  send("b");
  thread->cancel_run();
  settle();
  EXPECT_TRUE(prompts().empty());
  gates[0].release();
  settle();
  EXPECT_EQ(calls.size(), 1u);
}

TEST_F(Queue, CancelKeepsAPausedQueueWhenConfiguredAndTheNextSendReArmsIt) {
  make([](ThreadRuntimeOptions& o) { o.queue_clear_on_cancel = false; });
  send("first");
  settle();
  send("a", false);
  thread->cancel_run();
  thread->cancel_run();  // repeated cancels count one settle
  gates[0].release();
  settle();
  EXPECT_EQ(calls.size(), 1u);  // the cancelled run's end dispatched nothing
  EXPECT_EQ(prompts(), std::vector<std::string>{"a"});
  send("c", false);
  settle();
  // The head of the queue goes first; the new message waits behind it.
  EXPECT_EQ(calls.size(), 2u);
  EXPECT_EQ(user_texts(), (std::vector<std::string>{"first", "a"}));
  EXPECT_EQ(prompts(), std::vector<std::string>{"c"});
  gates[1].release();
  settle();
  EXPECT_EQ(user_texts(), (std::vector<std::string>{"first", "a", "c"}));
}

TEST_F(Queue, S160_AnEditClearsTheQueueByDefault) {
  make();
  send("first");
  gates[0].release();
  settle();
  send("second");
  settle();
  send("queued");
  EXPECT_EQ(prompts(), std::vector<std::string>{"queued"});
  auto& edit = thread->begin_edit(thread->messages()[0]->id);
  edit.set_text("edited");
  edit.send();
  settle();
  EXPECT_TRUE(prompts().empty());
  gates[2].release();
  settle();
  EXPECT_EQ(calls.size(), 3u);
  EXPECT_EQ(user_texts(), std::vector<std::string>{"edited"});
}

TEST_F(Queue, S161_AnEditKeepsTheQueueWhenConfigured) {
  make([](ThreadRuntimeOptions& o) { o.queue_clear_on_rewind = false; });
  send("first");
  gates[0].release();
  settle();
  send("second");
  settle();
  send("queued");
  auto& edit = thread->begin_edit(thread->messages()[0]->id);
  edit.set_text("edited");
  edit.send();
  settle();
  EXPECT_EQ(calls.size(), 3u);
  EXPECT_EQ(prompts().size(), 1u);
  gates[2].release();
  settle();
  EXPECT_EQ(calls.size(), 4u);
  EXPECT_TRUE(prompts().empty());
  EXPECT_EQ(user_texts(), (std::vector<std::string>{"edited", "queued"}));
}

TEST_F(Queue, S163_AFailingRunAdvancesTheQueueExactlyOnce) {
  failing = {2};
  make();
  send("first");
  settle();
  send("a", false);
  send("b", false);
  gates[0].release();
  settle();
  EXPECT_EQ(calls.size(), 3u);  // "a" failed, "b" runs
  EXPECT_TRUE(prompts().empty());
  send("c");
  settle();
  EXPECT_EQ(calls.size(), 3u);
  EXPECT_EQ(prompts(), std::vector<std::string>{"c"});
}

TEST_F(Queue, S164_AQueuedAppendCompletesAtOnce) {
  make();
  send("first");
  settle();
  auto done = thread->append(AppendMessage::user("second"));
  EXPECT_TRUE(done.succeeded_ok());
  const auto items = thread->composer().queue();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].lane,
            QueueLane::Steer);  // "first" went out through the queue, so a default send steers
  EXPECT_EQ(items[0].prompt, "second");
}

TEST_F(Queue, ADefaultSendSteersWhileAQueuedRunIsInFlight) {
  make();
  send("first");
  settle();
  send("queued-1", false);
  send("queued-2", false);
  gates[0].release();
  settle();  // "queued-1" is now the running, queue-dispatched turn
  send("steered");
  const auto items = thread->composer().queue();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].prompt, "steered");
  EXPECT_EQ(items[0].lane, QueueLane::Steer);
  gates[1].release();
  settle();
  EXPECT_EQ(user_texts(), (std::vector<std::string>{"first", "queued-1", "steered"}));
}

TEST_F(Queue, SendsDuringARegenerateWaitAndDispatchUnderTheNewTail) {
  make();
  send("first");
  gates[0].release();
  settle();
  thread->reload(thread->messages().back()->id);
  settle();
  send("after");
  EXPECT_EQ(prompts(), std::vector<std::string>{"after"});
  gates[1].release();
  settle();
  const auto& msgs = thread->messages();
  ASSERT_EQ(msgs.size(), 4u);
  EXPECT_EQ(msgs[2]->text(), "after");
  EXPECT_EQ(thread->get_message_by_id(msgs[2]->id)->parent_id,
            msgs[1]->id);  // the regenerated reply
}

TEST_F(Queue, ComposerMetadataIsMergedAtDispatch) {
  make();
  int m = 1;
  auto provider = thread->register_model_context_provider([&] {
    ModelContext c;
    c.composer_metadata = Json{{"m", m}};
    return c;
  });
  send("first");
  settle();
  send("second");
  m = 2;
  gates[0].release();
  settle();
  EXPECT_EQ(thread->messages()[2]->metadata.custom, Json::parse(R"({"m": 2})"));
}

TEST_F(Queue, S166_ItemProjection) {
  make();
  send("first");
  settle();
  AppendMessage msg = AppendMessage::user("caption");
  msg.content.emplace_back(ImagePart{.image = "https://example.com/cat.png"});
  Attachment pdf;
  pdf.id = "att";
  pdf.type = "document";
  pdf.name = "a.pdf";
  pdf.content.emplace_back(FilePart{.data = "JVBERi0=", .mime_type = "application/pdf"});
  pdf.content.emplace_back(TextPart{"the pdf as text"});
  msg.attachments.push_back(pdf);
  thread->append(msg);
  const auto items = thread->composer().queue();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].prompt, "caption");
  ASSERT_EQ(items[0].parts.size(), 3u);
  EXPECT_EQ(items[0].parts[0].as<TextPart>().text.view(), "caption");
  EXPECT_EQ(items[0].parts[1].as<FilePart>().data, "https://example.com/cat.png");
  EXPECT_EQ(items[0].parts[1].as<FilePart>().mime_type, "image/*");
  EXPECT_EQ(items[0].parts[2].as<FilePart>().mime_type, "application/pdf");
  // The original message goes out intact.
  gates[0].release();
  settle();
  EXPECT_EQ(thread->messages()[2]->attachments.size(), 1u);
}

TEST_F(Queue, MovesWithLanesAndAnchors) {
  make();
  send("first");
  settle();
  for (const char* t : {"a", "b", "c"}) send(t, false);
  send("s", true);
  auto id = [&](const std::string& prompt) {
    for (const auto& item : thread->composer().queue()) {
      if (item.prompt == prompt) return item.id;
    }
    return Id("?");
  };
  auto kind = [&](const QueueMove& where, const Id& item) {
    try {
      thread->queue()->move(item, where);
    } catch (const Error& e) {
      return std::string(to_string(e.kind()));
    }
    return std::string("ok");
  };
  EXPECT_EQ(prompts(), (std::vector<std::string>{"s", "a", "b", "c"}));
  EXPECT_EQ(kind(QueueMove::to_front(), id("c")), "ok");  // to the front of its lane
  EXPECT_EQ(prompts(), (std::vector<std::string>{"s", "c", "a", "b"}));
  EXPECT_EQ(kind(QueueMove::before(id("c")), id("b")), "ok");
  EXPECT_EQ(prompts(), (std::vector<std::string>{"s", "b", "c", "a"}));
  EXPECT_EQ(kind(QueueMove::to_end(), id("b")), "ok");  // to the end
  EXPECT_EQ(prompts(), (std::vector<std::string>{"s", "c", "a", "b"}));
  EXPECT_EQ(kind(QueueMove::to_lane(QueueLane::Steer), id("a")), "ok");  // another lane: its end
  EXPECT_EQ(prompts(), (std::vector<std::string>{"s", "a", "c", "b"}));
  EXPECT_EQ(kind({}, id("c")), "ok");  // no anchors, same lane: unchanged
  EXPECT_EQ(prompts(), (std::vector<std::string>{"s", "a", "c", "b"}));
  EXPECT_EQ(kind(QueueMove::after(id("c")), id("c")), "SelfAnchor");
  EXPECT_EQ(kind(QueueMove::after(id("s")), id("c")), "UnknownAnchor");
  EXPECT_EQ(kind({}, "nope"), "UnknownQueueItem");
  EXPECT_EQ(kind(QueueMove::between(id("s"), id("a")).in(QueueLane::Steer), id("b")), "ok");
  EXPECT_EQ(prompts(), (std::vector<std::string>{"s", "b", "a", "c"}));
  // The spec's field shape means the same as the named constructors.
  EXPECT_EQ(kind({.lane = QueueLane::Steer,
                  .insert_after = std::optional<Id>(id("s")),
                  .insert_before = std::optional<Id>(id("a"))},
                 id("c")),
            "NotAdjacent");
}

TEST(QueueMoveNames, EachNamedConstructorIsTheSpecShapeItNames) {
  EXPECT_EQ(QueueMove::to_front().insert_after,
            std::optional<std::optional<Id>>(std::optional<Id>()));
  EXPECT_FALSE(QueueMove::to_front().insert_before.has_value());
  EXPECT_EQ(QueueMove::to_end().insert_before,
            std::optional<std::optional<Id>>(std::optional<Id>()));
  EXPECT_FALSE(QueueMove::to_end().insert_after.has_value());
  EXPECT_EQ(QueueMove::after(Id("x")).insert_after,
            std::optional<std::optional<Id>>(std::optional<Id>(Id("x"))));
  EXPECT_EQ(QueueMove::before(Id("x")).insert_before,
            std::optional<std::optional<Id>>(std::optional<Id>(Id("x"))));
  const QueueMove between = QueueMove::between(Id("a"), Id("b")).in(QueueLane::Steer);
  EXPECT_EQ(between.lane, std::optional<QueueLane>(QueueLane::Steer));
  EXPECT_EQ(between.insert_after, std::optional<std::optional<Id>>(std::optional<Id>(Id("a"))));
  EXPECT_EQ(between.insert_before, std::optional<std::optional<Id>>(std::optional<Id>(Id("b"))));
  EXPECT_EQ(QueueMove::to_lane(QueueLane::Queue).lane, std::optional<QueueLane>(QueueLane::Queue));
  EXPECT_FALSE(QueueMove::to_lane(QueueLane::Queue).insert_after.has_value());
}

TEST_F(Queue, SubscribersHearEveryLaneChangeAndAThrowingOneIsIsolated) {
  make();
  int heard = 0;
  auto throwing = thread->queue()->subscribe([] { throw std::runtime_error("boom"); });
  auto counting = thread->queue()->subscribe([&] { ++heard; });
  send("first");  // added and taken at once: two changes
  settle();
  send("a");
  thread->queue()->remove(thread->composer().queue()[0].id);
  EXPECT_EQ(heard, 4);
  EXPECT_FALSE(errors.empty());
}

TEST_F(Queue, DetachDropsTheQueue) {
  make();
  send("first");
  settle();
  send("a");
  thread->detach();
  EXPECT_TRUE(prompts().empty());
  gates[0].release();
  settle();
  EXPECT_EQ(calls.size(), 1u);
}

}  // namespace
