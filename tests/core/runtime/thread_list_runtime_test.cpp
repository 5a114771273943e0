// The thread list against the conformance scenarios of section O (spec §14) and the rules around
// them: initialisation as the append barrier, switching, mutations with rollback, titles, thread
// id notifications, adapter replacement. Driven deterministically: the list adapter runs on the
// driver's workers and any of its calls can be held until the test settles it.

#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "aui/local_runtime.hpp"
#include "aui/runtime/thread_list_runtime.hpp"
#include "aui/support/errors.hpp"
#include "aui/support/owner_thread.hpp"
#include "aui/testing.hpp"
#include "support/runtime_driver.hpp"

namespace {

using namespace aui;
using namespace aui::testing;

/// The scenario catalogue's scripted list adapter: list → the scripted pages (none by default);
/// initialize(id) → "remote-" + id; fetch(id) → regular, remote id id, title id; the rest succeed.
/// A call whose name is in `defer` waits until the test resolves or rejects it by key
/// ("initialize:<local id>", "rename:<remote id>:<title>", "list:", "list:<cursor>", "fetch:<id>").
class ScriptedList : public RemoteThreadListAdapter {
 public:
  explicit ScriptedList(Driver& d) : d_(d) {}

  RemoteThreadListPage list(const std::optional<std::string>& after) override {
    hold("list", after.value_or(""));
    std::lock_guard lock(mutex_);
    if (list_error) throw Error(ErrorKind::Storage, "list failed");
    if (pages.empty()) return {};
    const auto i = std::min(list_calls_++, pages.size() - 1);
    return pages[i];
  }
  RemoteThreadInitializeResult initialize(const std::string& local_id) override {
    hold("initialize", local_id);
    return {"remote-" + local_id, std::nullopt};
  }
  void rename(const std::string& remote_id, const std::string& title) override {
    hold("rename", remote_id, title);
  }
  bool has_update_custom() const override { return true; }
  void update_custom(const std::string& remote_id, const std::optional<Json>& custom) override {
    hold("updateCustom", remote_id, custom ? custom->dump() : "null");
  }
  void archive(const std::string& remote_id) override { hold("archive", remote_id); }
  void unarchive(const std::string& remote_id) override { hold("unarchive", remote_id); }
  void remove(const std::string& remote_id) override { hold("delete", remote_id); }
  void generate_title(const std::string& remote_id, const MessageList& messages,
                      const TitleSink& sink) override {
    std::string roles;
    for (const auto& m : messages)
      roles += std::string(roles.empty() ? "" : ",") + std::string(to_string(m->role));
    hold("generateTitle", remote_id, roles);
    sink("Title");
    sink("Title of " + remote_id);
  }
  RemoteThreadMetadata fetch(const std::string& id) override {
    hold("fetch", id);
    RemoteThreadMetadata out;
    out.remote_id = id;
    out.title = id;
    std::lock_guard lock(mutex_);
    if (auto it = fetched.find(id); it != fetched.end()) return it->second;
    return out;
  }

  /// Settles a held call (the first one held under that key).
  void resolve(const std::string& key) { settle(key, nullptr); }
  void reject(const std::string& key, const std::string& why = "adapter failed") {
    settle(key, std::make_exception_ptr(std::runtime_error(why)));
  }
  bool held(const std::string& key) {
    std::lock_guard lock(mutex_);
    return holds_.count(key) != 0 && !holds_[key].empty();
  }
  /// Opens every gate (teardown).
  void release_all() {
    std::lock_guard lock(mutex_);
    for (auto& [key, queue] : holds_) {
      for (auto& h : queue) h->gate.release();
    }
    holds_.clear();
  }
  std::vector<std::string> calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  std::size_t count(const std::string& prefix) {
    std::size_t n = 0;
    for (const auto& c : calls()) n += c.rfind(prefix, 0) == 0 ? 1 : 0;
    return n;
  }

  std::set<std::string> defer;
  std::vector<RemoteThreadListPage> pages;
  bool list_error = false;
  std::map<std::string, RemoteThreadMetadata> fetched;

 private:
  struct Hold {
    Gate gate;
    std::exception_ptr error;
  };
  void hold(const std::string& name, const std::string& arg, const std::string& extra = {}) {
    const std::string key = name + ":" + arg + (extra.empty() ? "" : ":" + extra);
    std::shared_ptr<Hold> h;
    {
      std::lock_guard lock(mutex_);
      calls_.push_back(key);
      if (defer.count(name) == 0) return;
      h = std::make_shared<Hold>();
      holds_[key].push_back(h);
    }
    h->gate.wait(d_);
    if (h->error) std::rethrow_exception(h->error);
  }
  void settle(const std::string& key, std::exception_ptr error) {
    std::shared_ptr<Hold> h;
    {
      std::lock_guard lock(mutex_);
      auto& queue = holds_[key];
      if (queue.empty()) {
        ADD_FAILURE() << "no call held under " << key;
        return;
      }
      h = queue.front();
      queue.pop_front();
    }
    h->error = error;
    h->gate.release();
  }

  Driver& d_;
  std::mutex mutex_;
  std::vector<std::string> calls_;
  std::map<std::string, std::deque<std::shared_ptr<Hold>>> holds_;
  std::size_t list_calls_ = 0;
};

RemoteThreadMetadata meta(const std::string& id, ThreadStatus status = ThreadStatus::Regular) {
  RemoteThreadMetadata m;
  m.remote_id = id;
  m.status = status;
  m.title = id;
  return m;
}

RemoteThreadListPage page(std::vector<RemoteThreadMetadata> threads,
                          std::optional<std::string> cursor = {}) {
  RemoteThreadListPage p;
  p.threads = std::move(threads);
  p.next_cursor = std::move(cursor);
  return p;
}

class ThreadList : public ::testing::Test {
 protected:
  void make(const std::function<void(ThreadListRuntimeOptions&)>& tweak = {}) {
    ThreadListRuntimeOptions o;
    o.thread.chat_model = model ? model : plain("x");
    o.thread.dispatcher = d->dispatcher();
    o.thread.executor = d->executor();
    o.thread.on_error = [this](const std::string& m) { errors.push_back(m); };
    o.adapter = adapter;
    o.on_thread_id_change = [this](const std::optional<std::string>& id) {
      id_changes.push_back(id);
    };
    if (tweak) tweak(o);
    list = std::make_unique<ThreadListRuntime>(std::move(o));
    sub = list->subscribe([this] { ++list_notifications; });
  }
  ChatModelAdapter plain(const std::string& text) {
    return [this, text](const ChatModelRunOptions& o) {
      calls.record(o);
      return T(text);
    };
  }
  void settle() { d->settle(); }
  ThreadListRuntime& l() { return *list; }
  std::string draft_id() { return l().new_thread_id().value_or("<no draft>"); }
  // A thread made regular by a first message, then left for a fresh draft.
  std::string make_regular_thread() {
    auto c = l().main_thread().append(U("hello"));
    settle();
    EXPECT_TRUE(c.succeeded_ok()) << failure_message(c);
    return l().main_thread_id();
  }
  void TearDown() override {
    adapter->release_all();
    settle();
    sub = {};
    list.reset();
  }

  std::shared_ptr<Driver> d = std::make_shared<Driver>();
  std::shared_ptr<ScriptedList> adapter = std::make_shared<ScriptedList>(*d);
  ChatModelAdapter model;
  CallLog calls;
  std::vector<std::string> errors;
  std::vector<std::optional<std::string>> id_changes;
  std::unique_ptr<ThreadListRuntime> list;
  Subscription sub;
  int list_notifications = 0;
};

// ---- §14.1 ----

TEST(SingleThreadList, S173_OneThreadAndEveryListOperationIsUnsupported) {
  auto d = std::make_shared<Driver>();
  CallLog calls;
  ThreadRuntimeOptions o;
  o.chat_model = [&](const ChatModelRunOptions& opts) {
    calls.record(opts);
    return T("x");
  };
  o.dispatcher = d->dispatcher();
  o.executor = d->executor();
  auto list = ThreadListRuntime::single(std::move(o));
  EXPECT_EQ(list->main_thread_id(), "__DEFAULT_ID__");
  EXPECT_TRUE(list->thread_ids().empty());
  EXPECT_TRUE(list->archived_thread_ids().empty());
  EXPECT_FALSE(list->new_thread_id());
  EXPECT_FALSE(list->is_loading());
  EXPECT_TRUE(list->load_threads().succeeded_ok());
  EXPECT_TRUE(list->initialize("__DEFAULT_ID__").succeeded_ok());
  EXPECT_EQ(failure_kind(list->switch_to_new_thread()), ErrorKind::Unsupported);
  EXPECT_EQ(failure_kind(list->switch_to_thread("other")), ErrorKind::Unsupported);
  EXPECT_EQ(failure_kind(list->rename("__DEFAULT_ID__", "t")), ErrorKind::Unsupported);
  EXPECT_EQ(failure_kind(list->archive("__DEFAULT_ID__")), ErrorKind::Unsupported);
  EXPECT_EQ(failure_kind(list->unarchive("__DEFAULT_ID__")), ErrorKind::Unsupported);
  EXPECT_EQ(failure_kind(list->remove("__DEFAULT_ID__")), ErrorKind::Unsupported);
  EXPECT_EQ(failure_kind(list->detach("__DEFAULT_ID__")), ErrorKind::Unsupported);
  EXPECT_EQ(failure_kind(list->generate_title("__DEFAULT_ID__")), ErrorKind::Unsupported);
  auto item = list->item("__DEFAULT_ID__");
  ASSERT_TRUE(item);
  EXPECT_EQ(item->status, ThreadStatus::Regular);
  EXPECT_TRUE(item->is_main);
  auto c = list->main_thread().append(U("hi"));
  d->settle();
  EXPECT_TRUE(c.succeeded_ok());
  ASSERT_EQ(calls.size(), 1U);
  EXPECT_FALSE(calls.at(1).options.thread_id.has_value());
}

// ---- §14.6, §14.7 initialisation ----

TEST_F(ThreadList, StartsWithADraftAsTheMainThread) {
  make();
  settle();
  const auto draft = l().new_thread_id();
  ASSERT_TRUE(draft);
  EXPECT_EQ(draft->rfind("__LOCALID_", 0), 0U);
  EXPECT_EQ(l().main_thread_id(), *draft);
  EXPECT_TRUE(l().item(*draft)->is_main);
  EXPECT_EQ(l().item(*draft)->status, ThreadStatus::New);
  EXPECT_TRUE(l().thread_ids().empty());
  EXPECT_FALSE(l().is_loading());
  EXPECT_TRUE(id_changes.empty());  // not called at start
}

TEST_F(ThreadList, S175_TheFirstMessageInitialisesTheThread) {
  make();
  settle();
  const std::string local = draft_id();
  auto c = l().main_thread().append("hello");
  settle();
  ASSERT_TRUE(c.succeeded_ok()) << failure_message(c);
  EXPECT_EQ(adapter->count("initialize:"), 1U);
  EXPECT_EQ(adapter->calls().front(), "list:");
  EXPECT_EQ(adapter->count("initialize:" + local), 1U);
  auto item = l().item(local);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->status, ThreadStatus::Regular);
  EXPECT_EQ(item->remote_id, "remote-" + local);
  EXPECT_EQ(l().thread_ids(), std::vector<std::string>{local});
  EXPECT_FALSE(l().new_thread_id());
  auto by_remote = l().item("remote-" + local);
  ASSERT_TRUE(by_remote);
  EXPECT_EQ(by_remote->id, local);
  ASSERT_EQ(id_changes.size(), 1U);
  EXPECT_EQ(id_changes[0], "remote-" + local);
  EXPECT_EQ(branch_string(l().main_thread()), R"([u"hello", a"x"·cu])");
  ASSERT_EQ(calls.size(), 1U);
  EXPECT_EQ(calls.at(1).options.thread_id, "remote-" + local);  // [N]: present on the first run
}

TEST_F(ThreadList, S176_TheMessageShowsBeforeInitialisationCompletes) {
  adapter->defer = {"initialize"};
  make();
  settle();
  const std::string local = draft_id();
  int thread_notifications = 0;
  auto thread_sub = l().main_thread().subscribe([&] { ++thread_notifications; });
  auto c = l().main_thread().append(U("hello"));
  EXPECT_EQ(branch_string(l().main_thread()), R"([u"hello"])");
  EXPECT_GT(thread_notifications, 0);
  // Optimistically regular at once.
  EXPECT_EQ(l().item(local)->status, ThreadStatus::Regular);
  EXPECT_EQ(l().thread_ids(), std::vector<std::string>{local});
  settle();
  EXPECT_EQ(calls.size(), 0U);
  EXPECT_EQ(adapter->count("generateTitle"), 0U);
  EXPECT_FALSE(c.ready());
  adapter->resolve("initialize:" + local);
  settle();
  EXPECT_TRUE(c.succeeded_ok()) << failure_message(c);
  EXPECT_EQ(calls.size(), 1U);
  EXPECT_EQ(adapter->count("generateTitle"), 1U);
  EXPECT_EQ(adapter->count("generateTitle:remote-" + local + ":user"), 1U);
  EXPECT_EQ(l().item(local)->title, "Title of remote-" + local);
}

TEST_F(ThreadList, S178_DetachingWhileWaitingForInitialisation) {
  for (const bool fails : {false, true}) {
    SCOPED_TRACE(fails ? "initialize fails" : "initialize resolves");
    adapter = std::make_shared<ScriptedList>(*d);
    adapter->defer = {"initialize"};
    calls.clear();
    make();
    settle();
    const std::string local = draft_id();
    auto c = l().main_thread().append(U("hello"));
    l().main_thread().detach();
    settle();
    if (fails) {
      adapter->reject("initialize:" + local);
    } else {
      adapter->resolve("initialize:" + local);
    }
    settle();
    EXPECT_TRUE(c.succeeded_ok()) << failure_message(c);
    EXPECT_TRUE(l().main_thread().messages().empty());
    EXPECT_EQ(calls.size(), 0U);
    adapter->release_all();
    settle();
  }
}

TEST_F(ThreadList, AFailedInitialisationTakesTheMessageBackAndTheNextSendRetries) {
  adapter->defer = {"initialize"};
  make();
  settle();
  const std::string local = draft_id();
  auto& composer = l().main_thread().composer();
  composer.set_text("hello");
  auto sent = composer.send();
  EXPECT_EQ(composer.text(), "");
  settle();
  // The run waits for the thread to be created: in progress, though nothing runs yet.
  EXPECT_TRUE(l().main_thread().is_run_in_progress());
  EXPECT_FALSE(l().main_thread().is_running());
  adapter->reject("initialize:" + local);
  settle();
  EXPECT_FALSE(l().main_thread().is_run_in_progress());
  EXPECT_TRUE(l().main_thread().messages().empty());
  EXPECT_EQ(composer.text(), "hello");  // the draft is restored
  EXPECT_EQ(calls.size(), 0U);
  auto item = l().item(local);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->status, ThreadStatus::New);
  EXPECT_EQ(l().new_thread_id(), local);
  EXPECT_TRUE(l().thread_ids().empty());

  // A direct append sees the MessageNotSent failure.
  auto again = l().main_thread().append(U("hello"));
  settle();
  EXPECT_EQ(adapter->count("initialize:" + local), 2U);  // the same local id again
  adapter->reject("initialize:" + local, "still down");
  settle();
  EXPECT_EQ(failure_kind(again), ErrorKind::MessageNotSent);
  EXPECT_NE(failure_message(again).find("still down"), std::string::npos);

  auto third = l().main_thread().append(U("hello"));
  settle();
  EXPECT_TRUE(l().main_thread().is_run_in_progress());
  adapter->resolve("initialize:" + local);
  settle();
  EXPECT_TRUE(third.succeeded_ok()) << failure_message(third);
  EXPECT_FALSE(l().main_thread().is_run_in_progress());
  EXPECT_EQ(l().item(local)->status, ThreadStatus::Regular);
  EXPECT_EQ(calls.size(), 1U);
}

TEST_F(ThreadList, StartRunDoesNotWaitForTheBarrier) {
  adapter->defer = {"initialize"};
  make();
  settle();
  const std::string local = draft_id();
  auto c = l().main_thread().start_run({});
  settle();
  EXPECT_TRUE(c.succeeded_ok()) << failure_message(c);
  EXPECT_EQ(calls.size(), 1U);
  EXPECT_EQ(adapter->count("initialize:" + local), 1U);  // started by the initialize event
  adapter->resolve("initialize:" + local);
  settle();
  EXPECT_EQ(l().item(local)->remote_id, "remote-" + local);
}

// ---- §14.6 switching ----

TEST_F(ThreadList, S179_SwitchingToAnUnknownThreadFetchesIt) {
  adapter->pages = {page({meta("thread-a"), meta("thread-b")})};
  make();
  settle();
  auto c = l().switch_to_thread("target");
  settle();
  EXPECT_TRUE(c.succeeded_ok()) << failure_message(c);
  EXPECT_EQ(adapter->count("fetch:target"), 1U);
  EXPECT_EQ(l().thread_ids(), (std::vector<std::string>{"thread-a", "thread-b", "target"}));
  EXPECT_EQ(l().main_thread_id(), "target");
  ASSERT_EQ(id_changes.size(), 1U);
  EXPECT_EQ(id_changes[0], "target");
}

TEST(InMemoryThreadList, S179_SwitchingToAnUnknownThreadFailsThreadNotFound) {
  auto d = std::make_shared<Driver>();
  ThreadListRuntimeOptions o;
  o.thread.chat_model = [](const ChatModelRunOptions&) { return T("x"); };
  o.thread.dispatcher = d->dispatcher();
  o.thread.executor = d->executor();
  ThreadListRuntime list(std::move(o));
  const auto main_before = list.main_thread_id();
  auto c = list.switch_to_thread("nowhere");
  d->settle();
  EXPECT_EQ(failure_kind(c), ErrorKind::ThreadNotFound);
  EXPECT_EQ(list.main_thread_id(), main_before);
}

TEST_F(ThreadList, S181_ArchivedThreadsAreUnarchivedOnSwitchByDefault) {
  adapter->pages = {
      page({meta("t", ThreadStatus::Archived), meta("r"), meta("k", ThreadStatus::Archived)})};
  make();
  settle();
  EXPECT_EQ(l().archived_thread_ids(), (std::vector<std::string>{"t", "k"}));
  auto c = l().switch_to_thread("t");
  settle();
  EXPECT_TRUE(c.succeeded_ok());
  EXPECT_EQ(adapter->count("unarchive:t"), 1U);
  EXPECT_EQ(l().thread_ids(), (std::vector<std::string>{"t", "r"}));
  EXPECT_EQ(l().archived_thread_ids(), std::vector<std::string>{"k"});
  EXPECT_EQ(l().item("t")->status, ThreadStatus::Regular);
  EXPECT_EQ(l().main_thread_id(), "t");

  auto k = l().switch_to_thread("k", SwitchOptions{false});
  settle();
  EXPECT_TRUE(k.succeeded_ok());
  EXPECT_EQ(adapter->count("unarchive:k"), 0U);
  EXPECT_EQ(l().item("k")->status, ThreadStatus::Archived);
  EXPECT_EQ(l().main_thread_id(), "k");

  auto r = l().switch_to_thread("r");
  settle();
  EXPECT_TRUE(r.succeeded_ok());
  EXPECT_EQ(adapter->count("unarchive:r"), 0U);
}

TEST_F(ThreadList, S182_TheLatestSwitchWins) {
  adapter->defer = {"fetch"};
  make();
  settle();
  auto b = l().switch_to_thread("thread-b");
  auto c = l().switch_to_thread("thread-c");
  settle();
  adapter->resolve("fetch:thread-c");
  settle();
  EXPECT_EQ(l().main_thread_id(), "thread-c");
  adapter->resolve("fetch:thread-b");
  settle();
  EXPECT_EQ(l().main_thread_id(), "thread-c");
  EXPECT_TRUE(b.succeeded_ok());
  EXPECT_TRUE(c.succeeded_ok());
}

TEST_F(ThreadList, S182_TheLatestSwitchWinsWhenTheEarlierFetchEndsFirst) {
  adapter->defer = {"fetch"};
  make();
  settle();
  auto b = l().switch_to_thread("thread-b");
  auto c = l().switch_to_thread("thread-c");
  settle();
  adapter->resolve("fetch:thread-b");
  settle();
  EXPECT_NE(l().main_thread_id(), "thread-b");
  adapter->resolve("fetch:thread-c");
  settle();
  EXPECT_EQ(l().main_thread_id(), "thread-c");
}

TEST_F(ThreadList, S196_SwitchToNewThreadReusesTheDraft) {
  make();
  settle();
  const std::string a = make_regular_thread();
  auto n = l().switch_to_new_thread();
  settle();
  EXPECT_TRUE(n.succeeded_ok());
  const std::string draft = draft_id();
  EXPECT_NE(draft, a);
  EXPECT_EQ(l().main_thread_id(), draft);
  auto back = l().switch_to_thread(a);
  settle();
  EXPECT_EQ(l().main_thread_id(), a);
  auto again = l().switch_to_new_thread();
  settle();
  EXPECT_EQ(l().main_thread_id(), draft);
  EXPECT_EQ(l().new_thread_id(), draft);
  EXPECT_EQ(l().size(), 2U);  // no second draft
}

TEST_F(ThreadList, SwitchToNewThreadWaitsForTheDraftsInitialisation) {
  adapter->defer = {"initialize"};
  make();
  settle();
  const std::string first = draft_id();
  auto c = l().main_thread().append(U("hello"));
  auto n = l().switch_to_new_thread();
  settle();
  EXPECT_FALSE(n.ready());
  EXPECT_EQ(l().main_thread_id(), first);
  adapter->resolve("initialize:" + first);
  settle();
  EXPECT_TRUE(n.succeeded_ok());
  EXPECT_NE(l().main_thread_id(), first);
  EXPECT_EQ(l().new_thread_id(), l().main_thread_id());
  EXPECT_EQ(l().thread_ids(), std::vector<std::string>{first});
}

TEST_F(ThreadList, AfterAFailedInitialisationSwitchToNewThreadKeepsTheSameDraft) {
  adapter->defer = {"initialize"};
  make();
  settle();
  const std::string first = draft_id();
  auto c = l().main_thread().append(U("hello"));
  auto n = l().switch_to_new_thread();
  settle();
  adapter->reject("initialize:" + first);
  settle();
  EXPECT_TRUE(n.succeeded_ok());
  EXPECT_EQ(l().main_thread_id(), first);  // it is the draft again: no second draft
  EXPECT_EQ(l().size(), 1U);
  EXPECT_EQ(failure_kind(c), ErrorKind::MessageNotSent);
}

TEST_F(ThreadList, RunsContinueInTheBackgroundAndIsRunningFollowsThem) {
  Gate g;
  model = [&](const ChatModelRunOptions& o, RunResultSink& sink) {
    calls.record(o);
    sink.yield(T("par"));
    g.wait(*d);
    sink.yield(T("partial and done"));
  };
  make();
  settle();
  auto& a_thread = l().main_thread();
  auto run = a_thread.append(U("hello"));
  settle();
  const std::string a = l().main_thread_id();
  EXPECT_TRUE(l().item(a)->is_running);
  const int before = list_notifications;
  auto n = l().switch_to_new_thread();
  settle();
  EXPECT_NE(l().main_thread_id(), a);
  EXPECT_TRUE(l().item(a)->is_running);  // still running in the background
  EXPECT_EQ(l().thread(a), &a_thread);
  g.release();
  settle();
  EXPECT_TRUE(run.succeeded_ok());
  EXPECT_FALSE(l().item(a)->is_running);
  EXPECT_GT(list_notifications, before);
  EXPECT_EQ(branch_string(a_thread), R"([u"hello", a"partial and done"·cu])");
}

// ---- §14.8 mutations ----

TEST_F(ThreadList, RenameShowsAtOnceAndRevertsOnFailure) {
  adapter->pages = {page({meta("thread-1")})};
  adapter->defer = {"rename"};
  make();
  settle();
  auto ok = l().rename("thread-1", "first");
  EXPECT_EQ(l().item("thread-1")->title, "first");
  settle();
  adapter->resolve("rename:thread-1:first");
  settle();
  EXPECT_TRUE(ok.succeeded_ok());
  EXPECT_EQ(l().item("thread-1")->title, "first");
  auto bad = l().rename("thread-1", "second");
  EXPECT_EQ(l().item("thread-1")->title, "second");
  settle();
  adapter->reject("rename:thread-1:second");
  settle();
  EXPECT_TRUE(bad.failed());
  EXPECT_EQ(l().item("thread-1")->title, "first");
}

TEST_F(ThreadList, OverlappingRenamesLandInInvocationOrder) {
  adapter->pages = {page({meta("thread-1")})};
  adapter->defer = {"rename"};
  make();
  settle();
  auto a = l().rename("thread-1", "A");
  auto b = l().rename("thread-1", "B");
  settle();
  EXPECT_EQ(l().item("thread-1")->title, "B");
  // B's call answers first, then A's: B, invoked last, still wins.
  adapter->resolve("rename:thread-1:B");
  settle();
  EXPECT_EQ(l().item("thread-1")->title, "B");
  adapter->resolve("rename:thread-1:A");
  settle();
  EXPECT_EQ(l().item("thread-1")->title, "B");
  EXPECT_TRUE(a.succeeded_ok() && b.succeeded_ok());

  auto c = l().rename("thread-1", "C");
  auto e = l().rename("thread-1", "E");
  settle();
  adapter->reject("rename:thread-1:C");
  settle();
  EXPECT_EQ(l().item("thread-1")->title, "E");
  adapter->resolve("rename:thread-1:E");
  settle();
  EXPECT_EQ(l().item("thread-1")->title, "E");

  // The later one fails: the earlier one shows again, then stays.
  auto f = l().rename("thread-1", "F");
  auto g = l().rename("thread-1", "G");
  settle();
  adapter->reject("rename:thread-1:G");
  settle();
  EXPECT_EQ(l().item("thread-1")->title, "F");
  adapter->resolve("rename:thread-1:F");
  settle();
  EXPECT_EQ(l().item("thread-1")->title, "F");
  EXPECT_TRUE(f.succeeded_ok());
  EXPECT_TRUE(g.failed());
  EXPECT_TRUE(c.failed());
  EXPECT_TRUE(e.succeeded_ok());
}

TEST_F(ThreadList, MutationPreconditions) {
  adapter->pages = {page({meta("reg"), meta("arch", ThreadStatus::Archived)})};
  make();
  settle();
  const std::string draft = draft_id();
  EXPECT_EQ(failure_kind(l().rename("missing", "t")), ErrorKind::ThreadNotFound);
  EXPECT_EQ(failure_kind(l().rename(draft, "t")), ErrorKind::ThreadStatus);
  EXPECT_EQ(failure_kind(l().archive("arch")), ErrorKind::ThreadStatus);
  EXPECT_EQ(failure_kind(l().unarchive("reg")), ErrorKind::ThreadStatus);
  EXPECT_EQ(failure_kind(l().remove(draft)), ErrorKind::ThreadStatus);
  EXPECT_EQ(failure_kind(l().detach(draft)), ErrorKind::ThreadStatus);
  EXPECT_EQ(failure_kind(l().generate_title(draft)), ErrorKind::ThreadStatus);
  EXPECT_EQ(failure_kind(l().remove("missing")), ErrorKind::ThreadNotFound);
  EXPECT_NE(failure_message(l().archive("arch")).find("archived"), std::string::npos);
}

TEST_F(ThreadList, S184_ArchivingTheMainThreadSwitchesToTheDraftFirst) {
  adapter->defer = {"archive"};
  make();
  settle();
  const std::string a = make_regular_thread();
  const std::string remote = "remote-" + a;
  auto c = l().archive(a);
  settle();
  EXPECT_NE(l().main_thread_id(), a);
  EXPECT_EQ(l().item(l().main_thread_id())->status, ThreadStatus::New);
  EXPECT_EQ(l().archived_thread_ids(), std::vector<std::string>{a});
  EXPECT_TRUE(l().thread_ids().empty());
  EXPECT_EQ(l().item(a)->status, ThreadStatus::Archived);
  adapter->reject("archive:" + remote);
  settle();
  EXPECT_TRUE(c.failed());
  EXPECT_EQ(l().thread_ids(), std::vector<std::string>{a});
  EXPECT_TRUE(l().archived_thread_ids().empty());
  EXPECT_EQ(l().item(l().main_thread_id())->status, ThreadStatus::New);  // main stays on the draft
}

TEST_F(ThreadList, S185_DeletingTheMainThreadStopsItsRun) {
  model = [&](const ChatModelRunOptions& o, RunResultSink& sink) {
    calls.record(o);
    sink.yield(T("par"));
    wait_for_abort(*d, o.stop_token);
  };
  adapter->defer = {"delete"};
  make();
  settle();
  auto& a_thread = l().main_thread();
  auto run = a_thread.append(U("hello"));
  settle();
  const std::string a = l().main_thread_id();
  ASSERT_TRUE(a_thread.is_running());
  auto del = l().remove(a);
  settle();
  EXPECT_EQ(branch_string(a_thread), R"([u"hello", a"par"·ic])");
  EXPECT_NE(l().main_thread_id(), a);
  EXPECT_EQ(l().item(l().main_thread_id())->status, ThreadStatus::New);
  EXPECT_FALSE(l().item(a));
  EXPECT_FALSE(l().item("remote-" + a));
  EXPECT_TRUE(l().thread_ids().empty());
  adapter->resolve("delete:remote-" + a);
  settle();
  EXPECT_TRUE(del.succeeded_ok());
  EXPECT_EQ(adapter->count("delete:remote-" + a), 1U);
  EXPECT_FALSE(l().item(a));
}

TEST_F(ThreadList, S185_AFailedDeleteBringsTheThreadBack) {
  adapter->defer = {"delete"};
  make();
  settle();
  const std::string a = make_regular_thread();
  auto del = l().remove(a);
  settle();
  const std::string draft = l().main_thread_id();
  EXPECT_FALSE(l().item(a));
  adapter->reject("delete:remote-" + a, "no delete today");
  settle();
  EXPECT_NE(failure_message(del).find("no delete today"), std::string::npos);
  EXPECT_EQ(l().thread_ids(), std::vector<std::string>{a});
  EXPECT_EQ(l().main_thread_id(), draft);
  EXPECT_EQ(l().thread(a), nullptr);  // stopped until switched to again
  auto back = l().switch_to_thread(a);
  settle();
  EXPECT_TRUE(back.succeeded_ok());
  EXPECT_NE(l().thread(a), nullptr);
}

TEST_F(ThreadList, S187_CustomMetadataRollback) {
  auto t7 = meta("thread-7");
  t7.custom = Json{{"tag", "old"}};
  adapter->pages = {page({t7})};
  adapter->defer = {"updateCustom"};
  make();
  settle();
  auto c = l().update_custom("thread-7", Json{{"tag", "new"}});
  EXPECT_EQ(*l().item("thread-7")->custom, (Json{{"tag", "new"}}));
  settle();
  EXPECT_EQ(adapter->count(R"(updateCustom:thread-7:{"tag":"new"})"), 1U);
  adapter->reject(R"(updateCustom:thread-7:{"tag":"new"})");
  settle();
  EXPECT_TRUE(c.failed());
  EXPECT_EQ(*l().item("thread-7")->custom, (Json{{"tag", "old"}}));
}

TEST_F(ThreadList, CustomMetadataSurvivesRenameArchiveAndUnarchive) {
  auto t = meta("t");
  t.custom = Json{{"tag", "keep"}};
  adapter->pages = {page({t})};
  make();
  settle();
  auto r = l().rename("t", "new title");
  auto a = l().archive("t");
  settle();
  auto u = l().unarchive("t");
  settle();
  EXPECT_TRUE(r.succeeded_ok() && a.succeeded_ok() && u.succeeded_ok());
  EXPECT_EQ(*l().item("t")->custom, (Json{{"tag", "keep"}}));
  EXPECT_EQ(l().item("t")->title, "new title");
}

TEST_F(ThreadList, AFailedUnarchiveOfTheMainThreadFallsBackToTheDraft) {
  adapter->pages = {page({meta("t", ThreadStatus::Archived)})};
  adapter->defer = {"unarchive"};
  make();
  settle();
  auto s = l().switch_to_thread("t");
  settle();
  EXPECT_EQ(l().main_thread_id(), "t");
  EXPECT_EQ(l().thread_ids(), std::vector<std::string>{"t"});
  adapter->reject("unarchive:t");
  settle();
  EXPECT_EQ(l().archived_thread_ids(), std::vector<std::string>{"t"});
  EXPECT_EQ(l().item(l().main_thread_id())->status, ThreadStatus::New);
  EXPECT_FALSE(errors.empty());  // reported: the switch itself succeeded
}

TEST_F(ThreadList, DetachStopsTheRuntimeWithoutTellingTheAdapter) {
  make();
  settle();
  const std::string a = make_regular_thread();
  auto c = l().detach(a);
  settle();
  EXPECT_TRUE(c.succeeded_ok());
  EXPECT_NE(l().main_thread_id(), a);
  EXPECT_EQ(l().thread(a), nullptr);
  EXPECT_TRUE(l().item(a));
  EXPECT_EQ(adapter->count("delete"), 0U);
}

// ---- §14.5 loading ----

TEST_F(ThreadList, S188_AStaleListDoesNotResurrectADeletedThread) {
  adapter->pages = {page({meta("thread-A")}), page({meta("thread-A"), meta("thread-B")})};
  make();
  settle();
  adapter->defer = {"list"};
  auto reload = l().reload();
  settle();
  auto del = l().remove("thread-A");
  settle();
  EXPECT_TRUE(del.succeeded_ok());
  adapter->resolve("list:");
  settle();
  EXPECT_TRUE(reload.succeeded_ok());
  EXPECT_EQ(l().thread_ids(), std::vector<std::string>{"thread-B"});
  EXPECT_FALSE(l().item("thread-A"));
}

TEST_F(ThreadList, S188_AStaleListDoesNotUnarchiveAnArchivedThread) {
  adapter->pages = {page({meta("thread-A")})};
  make();
  settle();
  adapter->defer = {"list"};
  auto reload = l().reload();
  settle();
  auto arch = l().archive("thread-A");
  settle();
  EXPECT_TRUE(arch.succeeded_ok());
  adapter->resolve("list:");
  settle();
  EXPECT_EQ(l().archived_thread_ids(), std::vector<std::string>{"thread-A"});
  EXPECT_TRUE(l().thread_ids().empty());
}

TEST_F(ThreadList, AThreadInitialisedWhileAListIsInFlightIsKept) {
  adapter->pages = {page({meta("old")})};
  make();
  settle();
  adapter->defer = {"list"};
  auto reload = l().reload();
  settle();
  const std::string local = draft_id();
  auto c = l().main_thread().append(U("hi"));
  settle();
  EXPECT_TRUE(c.succeeded_ok());
  adapter->resolve("list:");
  settle();
  EXPECT_EQ(l().thread_ids(), (std::vector<std::string>{local, "old"}));
}

TEST_F(ThreadList, S193_Pagination) {
  adapter->pages = {page({meta("p1-a"), meta("p1-b")}, "c1"),
                    page({meta("p2-a"), meta("p2-b"), meta("p1-a")}, "c2"), page({meta("p3-a")})};
  make();
  settle();
  EXPECT_TRUE(l().has_more());
  adapter->defer = {"list"};
  auto m1 = l().load_more();
  auto m2 = l().load_more();  // shares the request
  settle();
  EXPECT_TRUE(l().is_loading_more());
  adapter->resolve("list:c1");
  settle();
  EXPECT_TRUE(m1.succeeded_ok() && m2.succeeded_ok());
  EXPECT_EQ(adapter->count("list:c1"), 1U);
  EXPECT_EQ(l().thread_ids(), (std::vector<std::string>{"p1-a", "p1-b", "p2-a", "p2-b"}));
  EXPECT_TRUE(l().has_more());
  auto m3 = l().load_more();
  settle();
  adapter->resolve("list:c2");
  settle();
  EXPECT_FALSE(l().has_more());
  EXPECT_EQ(l().thread_ids(), (std::vector<std::string>{"p1-a", "p1-b", "p2-a", "p2-b", "p3-a"}));
  const auto before = adapter->calls().size();
  auto m4 = l().load_more();
  settle();
  EXPECT_TRUE(m4.succeeded_ok());
  EXPECT_EQ(adapter->calls().size(), before);
}

TEST_F(ThreadList, S194_AFailingListIsReportedAndReloadRetries) {
  adapter->list_error = true;
  adapter->defer = {"list"};
  make();
  EXPECT_TRUE(l().is_loading());
  auto first = l().load_threads();
  settle();
  adapter->resolve("list:");
  settle();
  EXPECT_FALSE(l().is_loading());
  EXPECT_TRUE(first.failed());
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors.back().find("list failed"), std::string::npos);
  adapter->defer.clear();
  adapter->list_error = false;
  adapter->pages = {page({meta("a"), meta("b")})};
  auto again = l().reload();
  settle();
  EXPECT_TRUE(again.succeeded_ok());
  EXPECT_EQ(l().thread_ids(), (std::vector<std::string>{"a", "b"}));
}

TEST_F(ThreadList, OnlyTheLastOfOverlappingReloadsApplies) {
  adapter->defer = {"list"};
  make();
  settle();
  adapter->resolve("list:");
  settle();
  adapter->pages = {page({meta("first")}), page({meta("second")})};
  auto r1 = l().reload();
  settle();  // r1's call is held first
  auto r2 = l().reload();
  settle();
  adapter->resolve("list:");  // r1 → "first"
  settle();
  EXPECT_TRUE(l().thread_ids().empty());
  adapter->resolve("list:");  // r2 → "second"
  settle();
  EXPECT_EQ(l().thread_ids(), std::vector<std::string>{"second"});
}

// ---- §14.9 titles ----

TEST_F(ThreadList, S191_TitleGenerationUsesSettledMessagesOnly) {
  adapter->defer = {"initialize"};
  model = [&](const ChatModelRunOptions& o, RunResultSink&) {
    calls.record(o);
    wait_for_abort(*d, o.stop_token);
  };
  make();
  settle();
  const std::string local = draft_id();
  auto c = l().main_thread().append(U("hello"));
  settle();
  adapter->resolve("initialize:" + local);
  settle();
  EXPECT_EQ(adapter->count("generateTitle"), 1U);
  EXPECT_EQ(adapter->count("generateTitle:remote-" + local + ":user"), 1U);
  l().main_thread().cancel_run();
  settle();
}

TEST_F(ThreadList, S191_AnAgentInitiatedFirstTurnIsTitledWhenTheAnswerSettles) {
  Gate g;
  model = [&](const ChatModelRunOptions& o, RunResultSink& sink) {
    calls.record(o);
    g.wait(*d);
    sink.yield(T("welcome"));
  };
  make();
  settle();
  auto c = l().main_thread().start_run({});
  settle();
  EXPECT_EQ(adapter->count("generateTitle"), 0U);
  g.release();
  settle();
  EXPECT_TRUE(c.succeeded_ok());
  EXPECT_EQ(adapter->count("generateTitle"), 1U);
  EXPECT_EQ(adapter->count("generateTitle:remote-" + l().main_thread_id() + ":assistant"), 1U);
}

TEST_F(ThreadList, GenerateTitleOnDemand) {
  adapter->pages = {page({meta("t")})};
  make();
  settle();
  auto none = l().generate_title("t");  // no runtime yet: nothing to do
  settle();
  EXPECT_TRUE(none.succeeded_ok());
  EXPECT_EQ(adapter->count("generateTitle"), 0U);
  auto s = l().switch_to_thread("t");
  auto c = l().generate_title("t");
  settle();
  EXPECT_TRUE(c.succeeded_ok());
  EXPECT_EQ(l().item("t")->title, "Title of t");
}

// ---- §14.11 thread ids ----

TEST_F(ThreadList, S190_OnThreadIdChange) {
  adapter->pages = {page({meta("existing-1")})};
  make();
  settle();
  EXPECT_TRUE(id_changes.empty());
  const std::string local = draft_id();
  auto c = l().main_thread().append(U("hi"));
  settle();
  ASSERT_EQ(id_changes.size(), 1U);
  EXPECT_EQ(id_changes[0], "remote-" + local);
  auto s = l().switch_to_thread("existing-1");
  settle();
  ASSERT_EQ(id_changes.size(), 2U);
  EXPECT_EQ(id_changes[1], "existing-1");
  auto same = l().switch_to_thread("existing-1");
  settle();
  EXPECT_EQ(id_changes.size(), 2U);
  auto n = l().switch_to_new_thread();
  settle();
  ASSERT_EQ(id_changes.size(), 3U);
  EXPECT_FALSE(id_changes[2].has_value());
  for (const auto& id : id_changes) {
    if (id) {
      EXPECT_NE(id->rfind("__LOCALID_", 0), 0U);
    }
  }
}

TEST_F(ThreadList, AControlledThreadIdSwitchesWithoutEcho) {
  adapter->pages = {page({meta("a"), meta("b")})};
  make();
  settle();
  auto s = l().set_thread_id("b");
  settle();
  EXPECT_EQ(l().main_thread_id(), "b");
  EXPECT_TRUE(id_changes.empty());
  auto n = l().set_thread_id(std::nullopt);
  settle();
  EXPECT_EQ(l().item(l().main_thread_id())->status, ThreadStatus::New);
  EXPECT_TRUE(id_changes.empty());
  auto u = l().switch_to_thread("a");  // an uncontrolled switch is reported
  settle();
  EXPECT_EQ(id_changes.size(), 1U);
}

TEST_F(ThreadList, TheInitialThreadIdIsOpenedAtStart) {
  adapter->pages = {page({meta("a"), meta("b")})};
  make([](ThreadListRuntimeOptions& o) { o.initial_thread_id = "b"; });
  settle();
  EXPECT_EQ(l().main_thread_id(), "b");
}

// ---- §14.10 runtimes ----

TEST_F(ThreadList, EachThreadGetsItsOwnAdaptersFromTheFactory) {
  adapter->pages = {page({meta("a")})};
  std::vector<std::string> asked;
  make([&](ThreadListRuntimeOptions& o) {
    o.adapters_for = [&](const ThreadListItem& item) {
      asked.push_back(item.id);
      return ThreadAdapters{};
    };
  });
  settle();
  auto s = l().switch_to_thread("a");
  settle();
  ASSERT_EQ(asked.size(), 2U);
  EXPECT_EQ(asked[0].rfind("__LOCALID_", 0), 0U);
  EXPECT_EQ(asked[1], "a");
}

// A history adapter per thread: each opened thread loads its own stored messages.
class StoredHistory : public ThreadHistoryAdapter {
 public:
  explicit StoredHistory(std::string text) : text_(std::move(text)) {}
  ThreadHistoryLoadResult load() override {
    ++loads;
    auto m = std::make_shared<ThreadMessage>();
    m->id = "stored-" + text_;
    m->role = Role::User;
    m->content.emplace_back(TextPart{Text(text_)});
    ThreadHistoryLoadResult r;
    r.messages.push_back(ExportedMessageRepositoryItem{m, std::nullopt, std::nullopt});
    return r;
  }
  void append(const ExportedMessageRepositoryItem&) override {}
  std::atomic<int> loads{0};

 private:
  std::string text_;
};

TEST_F(ThreadList, AnOpenedThreadLoadsItsHistoryAndReloadMainThreadLoadsAgain) {
  adapter->pages = {page({meta("a"), meta("b")})};
  std::map<std::string, std::shared_ptr<StoredHistory>> stores;
  make([&](ThreadListRuntimeOptions& o) {
    o.adapters_for = [&](const ThreadListItem& item) {
      ThreadAdapters adapters;
      auto& store = stores[item.id];
      store = std::make_shared<StoredHistory>("kept in " + item.id);
      adapters.history = store;
      return adapters;
    };
  });
  settle();
  auto s = l().switch_to_thread("b");
  settle();
  EXPECT_EQ(branch_string(l().main_thread()), R"([u"kept in b"])");
  EXPECT_EQ(stores["b"]->loads.load(), 1);
  EXPECT_EQ(stores.begin()->second->loads.load() + stores["b"]->loads.load(), 1);  // not the draft
  auto r = l().reload_main_thread();
  settle();
  EXPECT_EQ(stores["b"]->loads.load(), 1);  // a fresh runtime asked the factory again
  EXPECT_EQ(branch_string(l().main_thread()), R"([u"kept in b"])");
}

// A thread that began as a draft in this runtime has nothing stored to load: asking for its
// history later (a host showing the thread again) imports nothing over the live messages.
TEST_F(ThreadList, ADraftsHistoryIsNotLoadedLaterOverItsLiveMessages) {
  std::map<std::string, std::shared_ptr<StoredHistory>> stores;
  make([&](ThreadListRuntimeOptions& o) {
    o.adapters_for = [&](const ThreadListItem& item) {
      ThreadAdapters adapters;
      auto& store = stores[item.id];
      store = std::make_shared<StoredHistory>("a stale copy");
      adapters.history = store;
      return adapters;
    };
  });
  settle();
  make_regular_thread();
  ASSERT_EQ(branch_string(l().main_thread()), R"([u"hello", a"x"·cu])");
  auto loaded = l().main_thread().load_history();
  settle();
  EXPECT_TRUE(loaded.succeeded_ok());
  EXPECT_EQ(branch_string(l().main_thread()), R"([u"hello", a"x"·cu])");
  ASSERT_EQ(stores.size(), 1U);
  EXPECT_EQ(stores.begin()->second->loads.load(), 0);
}

TEST_F(ThreadList, ReloadMainThreadGivesAFreshRuntime) {
  make();
  settle();
  auto none = l().reload_main_thread();  // a draft: no-op
  EXPECT_TRUE(none.succeeded_ok());
  const std::string a = make_regular_thread();
  ThreadRuntime* before = &l().main_thread();
  auto c = l().reload_main_thread();
  EXPECT_TRUE(c.succeeded_ok());
  EXPECT_NE(&l().main_thread(), before);
  EXPECT_TRUE(l().main_thread().messages().empty());  // in memory only: nothing to load
  EXPECT_EQ(l().main_thread_id(), a);
}

// ---- §14.12 replacing the adapter ----

TEST_F(ThreadList, ReplacingTheAdapterReloadsAndFailsMutationsInFlight) {
  adapter->pages = {page({meta("a"), meta("b")})};
  adapter->defer = {"rename"};
  make();
  settle();
  auto s = l().switch_to_thread("a");
  settle();
  auto r = l().rename("b", "new");
  settle();
  auto next = std::make_shared<ScriptedList>(*d);
  next->pages = {page({meta("b"), meta("c")})};
  next->defer = {"list"};
  l().set_adapter(next);
  EXPECT_FALSE(l().item("b")->title == "new");  // the old adapter's effect is gone
  auto during = l().rename("b", "during");
  EXPECT_EQ(failure_kind(during), ErrorKind::AdapterChanged);
  settle();
  adapter->resolve("rename:b:new");  // the old adapter answers late
  settle();
  EXPECT_EQ(failure_kind(r), ErrorKind::AdapterChanged);
  next->resolve("list:");
  settle();
  EXPECT_EQ(l().thread_ids(), (std::vector<std::string>{"b", "c"}));
  EXPECT_FALSE(l().item("a"));
  EXPECT_EQ(l().item(l().main_thread_id())->status,
            ThreadStatus::New);  // main fell back to the draft
  auto after = l().rename("c", "ok");
  settle();
  EXPECT_TRUE(after.succeeded_ok());
  EXPECT_EQ(next->count("rename:c"), 1U);
  EXPECT_EQ(adapter->count("rename:c"), 0U);
  next->release_all();
}

TEST_F(ThreadList, ALateInitializeOfTheOldAdapterIsNotApplied) {
  adapter->defer = {"initialize"};
  make();
  settle();
  const std::string local = draft_id();
  auto c = l().main_thread().append(U("hello"));
  settle();
  l().set_adapter(std::make_shared<ScriptedList>(*d));
  settle();
  adapter->resolve("initialize:" + local);
  settle();
  EXPECT_EQ(failure_kind(c), ErrorKind::MessageNotSent);
  EXPECT_EQ(l().item(local)->status, ThreadStatus::New);  // the unsent draft survives
  EXPECT_FALSE(l().item(local)->remote_id);
  EXPECT_EQ(l().main_thread_id(), local);
}

// ---- notifications never re-enter a half-done change (issue 15, item 5) ----

TEST_F(ThreadList, ASubscriberHearsOfASwitchToAnArchivedThreadOnlyWhenItIsComplete) {
  adapter->pages = {page({meta("t", ThreadStatus::Archived), meta("r")})};
  make();
  settle();
  // What each notification shows: the main thread and the status of "t".
  std::vector<std::string> seen;
  auto watch = l().subscribe([&] {
    seen.push_back(l().main_thread_id() + ":" + std::string(to_string(l().item("t")->status)));
  });
  auto c = l().switch_to_thread("t");
  // The switch unarchives "t" and makes it the main thread: no notification shows one without
  // the other.
  ASSERT_FALSE(seen.empty());
  for (const auto& s : seen) EXPECT_EQ(s, "t:regular");
  settle();
  EXPECT_TRUE(c.succeeded_ok());
  for (const auto& s : seen) EXPECT_EQ(s, "t:regular");
}

TEST_F(ThreadList, ASubscriberMayCallAnOperationWhoseNotificationsComeAfterTheCurrentRound) {
  adapter->pages = {page({meta("a")})};
  make();
  settle();
  std::vector<std::string> log;
  int inside = 0;  // subscribers running now
  Completion nested;
  auto first = l().subscribe([&] {
    ++inside;
    const auto title = l().item("a")->title.value_or("");
    log.push_back("first sees " + title);
    if (title == "one") nested = l().rename("a", "two");  // runs at once, announced later
    --inside;
  });
  auto second = l().subscribe([&] {
    EXPECT_EQ(inside, 0) << "a notification was delivered inside another";
    log.push_back("second sees " + l().item("a")->title.value_or(""));
  });
  auto c = l().rename("a", "one");
  EXPECT_EQ(log, (std::vector<std::string>{"first sees one", "second sees two", "first sees two",
                                           "second sees two"}));
  settle();
  EXPECT_TRUE(c.succeeded_ok());
  EXPECT_TRUE(nested.succeeded_ok());
  EXPECT_EQ(l().item("a")->title, "two");
  EXPECT_EQ(adapter->count("rename:a:two"), 1U);
}

TEST_F(ThreadList, OnThreadIdChangeMayCallTheListAndHearsTheLatestSwitchLast) {
  adapter->pages = {page({meta("a"), meta("b")})};
  make([this](ThreadListRuntimeOptions& o) {
    o.on_thread_id_change = [this](const std::optional<std::string>& id) {
      id_changes.push_back(id);
      if (id == "a") l().switch_to_thread("b");  // e.g. a redirect
    };
  });
  settle();
  auto c = l().switch_to_thread("a");
  EXPECT_EQ(id_changes, (std::vector<std::optional<std::string>>{"a", "b"}));
  EXPECT_EQ(l().main_thread_id(), "b");
  settle();
  EXPECT_TRUE(c.succeeded_ok());
}

TEST_F(ThreadList, AReloadWhileTheAdapterIsReplacedStillEndsTheReplacement) {
  adapter->pages = {page({meta("a")})};
  make();
  settle();
  auto next = std::make_shared<ScriptedList>(*d);
  next->pages = {page({meta("b")})};
  next->defer = {"list"};
  l().set_adapter(next);
  auto reload = l().reload();  // supersedes the replacement's first list
  settle();
  next->resolve("list:");
  next->resolve("list:");
  settle();
  EXPECT_TRUE(reload.succeeded_ok()) << failure_message(reload);
  EXPECT_EQ(l().thread_ids(), std::vector<std::string>{"b"});  // "a" is not listed any more
  auto c = l().rename("b", "x");
  settle();
  EXPECT_TRUE(c.succeeded_ok()) << failure_message(c);
  next->release_all();
}

// ---- the owner-thread rule (issue 15, item 4) ----

TEST(ThreadListDeathTest, ACallFromAnotherThreadStopsWithTheOperationsName) {
  if (!owner_checks_enabled())
    GTEST_SKIP() << "owner checks are compiled in debug and sanitizer builds only";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        auto d = std::make_shared<Driver>();
        ThreadListRuntimeOptions o;
        o.thread.chat_model = [](const ChatModelRunOptions&) { return T("x"); };
        o.thread.dispatcher = d->dispatcher();
        o.thread.executor = d->executor();
        ThreadListRuntime list(std::move(o));
        std::thread([&] { list.switch_to_new_thread(); }).join();
      },
      "ThreadListRuntime::switch_to_new_thread was called on thread .*, but this object belongs "
      "to thread");
}

TEST(ThreadListOwner, TheOwnerIsTheThreadThatMadeTheList) {
  auto d = std::make_shared<Driver>();
  ThreadListRuntimeOptions o;
  o.thread.chat_model = [](const ChatModelRunOptions&) { return T("x"); };
  o.thread.dispatcher = d->dispatcher();
  o.thread.executor = d->executor();
  ThreadListRuntime list(std::move(o));
  // Every operation on the owner thread passes the check, in every build.
  auto c = list.switch_to_new_thread();
  d->settle();
  EXPECT_TRUE(c.succeeded_ok());
  EXPECT_EQ(list.size(), 1U);
}

// ---- the ThreadRuntime hooks a list sets (spec §5.1 step 3, §14.7) ----

class Barrier : public ::testing::Test {
 protected:
  void make() {
    ThreadRuntimeOptions o;
    o.chat_model = [this](const ChatModelRunOptions& opts) {
      calls.record(opts);
      return T("x");
    };
    o.dispatcher = d->dispatcher();
    o.executor = d->executor();
    o.initialize_barrier = [this] {
      ++barrier_calls;
      return barrier;
    };
    o.thread_id_provider = [this] { return thread_id; };
    thread = std::make_unique<ThreadRuntime>(std::move(o));
  }
  void TearDown() override {
    d->settle();
    thread.reset();
  }
  std::shared_ptr<Driver> d = std::make_shared<Driver>();
  CallLog calls;
  Completion barrier;
  int barrier_calls = 0;
  std::optional<std::string> thread_id;
  std::unique_ptr<ThreadRuntime> thread;
};

TEST_F(Barrier, AppendShowsTheMessageAndWaitsForTheBarrier) {
  make();
  auto c = thread->append(U("hello"));
  d->settle();
  EXPECT_EQ(branch_string(*thread), R"([u"hello"])");
  EXPECT_EQ(calls.size(), 0U);
  EXPECT_FALSE(c.ready());
  thread_id = "remote-1";  // known by the time the roundtrip starts
  barrier.resolve();
  d->settle();
  EXPECT_TRUE(c.succeeded_ok());
  ASSERT_EQ(calls.size(), 1U);
  EXPECT_EQ(calls.at(1).options.thread_id, "remote-1");
  EXPECT_EQ(branch_string(*thread), R"([u"hello", a"x"·cu])");
}

TEST_F(Barrier, AFailedBarrierTakesTheMessageBackAndFailsMessageNotSent) {
  make();
  auto c = thread->append(U("hello"));
  barrier.reject(std::make_exception_ptr(std::runtime_error("no remote thread")));
  d->settle();
  EXPECT_EQ(failure_kind(c), ErrorKind::MessageNotSent);
  EXPECT_NE(failure_message(c).find("no remote thread"), std::string::npos);
  EXPECT_TRUE(thread->messages().empty());
  EXPECT_EQ(calls.size(), 0U);
  // The next append asks for the barrier again.
  barrier = Completion::succeeded();
  auto again = thread->append(U("hello"));
  d->settle();
  EXPECT_TRUE(again.succeeded_ok());
  EXPECT_EQ(barrier_calls, 2);
  EXPECT_EQ(calls.size(), 1U);
}

TEST_F(Barrier, ADetachWhileWaitingRemovesTheMessageSilently) {
  make();
  auto c = thread->append(U("hello"));
  thread->detach();
  barrier.reject(std::make_exception_ptr(std::runtime_error("late")));
  d->settle();
  EXPECT_TRUE(c.succeeded_ok());
  EXPECT_TRUE(thread->messages().empty());
  EXPECT_EQ(calls.size(), 0U);
}

TEST_F(Barrier, StartRunDoesNotWait) {
  make();
  auto c = thread->start_run({});
  d->settle();
  EXPECT_TRUE(c.succeeded_ok());
  EXPECT_EQ(barrier_calls, 0);
  EXPECT_EQ(calls.size(), 1U);
}

// ---- LocalRuntime ----

TEST(LocalRuntimeThreads, TheEntryPointIsAMultiThreadListInMemory) {
  LocalRuntime rt([](const ChatModelRunOptions& o) {
    return ChatModelRunResult::text("thread " + o.thread_id.value_or("none"));
  });
  auto& first = rt.thread();
  rt.wait(first.append("hi"));
  const std::string a = rt.threads().main_thread_id();
  EXPECT_EQ(first.messages().back()->text(), "thread " + a);  // in memory: remote id = local id
  rt.wait(rt.threads().switch_to_new_thread());
  EXPECT_NE(&rt.thread(), &first);
  rt.wait(rt.thread().append("second"));
  EXPECT_EQ(rt.threads().thread_ids().size(), 2U);
  rt.wait(rt.threads().switch_to_thread(a));
  EXPECT_EQ(&rt.thread(), &first);
  EXPECT_EQ(first.messages().size(), 2U);
}

}  // namespace
