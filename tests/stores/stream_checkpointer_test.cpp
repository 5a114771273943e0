// StreamCheckpointer with a real SQLite store: a streaming reply is written at most once per
// interval, off the owner thread, and after a crash the last checkpoint comes back incomplete.
#include "aui/stream_checkpointer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <deque>
#include <filesystem>
#include <thread>

#include "aui/stores/sqlite_store.hpp"
#include "support/runtime_driver.hpp"

namespace aui {
namespace {

using namespace aui::testing;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

/// An executor whose jobs run when the test says so, on the thread the test names.
class ManualExecutor : public Executor {
 public:
  void execute(std::function<void()> job) override {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  std::size_t pending() {
    std::lock_guard lock(mutex_);
    return jobs_.size();
  }
  /// Runs the queued jobs on a separate thread (as a worker would) and waits for them.
  void run_on_worker(std::thread::id* ran_on = nullptr) {
    std::thread worker([&] {
      if (ran_on) *ran_on = std::this_thread::get_id();
      for (;;) {
        std::function<void()> job;
        {
          std::lock_guard lock(mutex_);
          if (jobs_.empty()) return;
          job = std::move(jobs_.front());
          jobs_.pop_front();
        }
        job();
      }
    });
    worker.join();
  }

 private:
  std::mutex mutex_;
  std::deque<std::function<void()>> jobs_;
};

class Checkpointer : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir = fs::temp_directory_path() / ("aui-ckpt-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(dir);
    store = open_store();
  }
  void TearDown() override {
    thread.reset();
    store.reset();
    fs::remove_all(dir);
  }
  std::shared_ptr<SqliteStore> open_store() {
    SqliteStoreOptions o;
    o.path = dir / "aui.db";
    return SqliteStore::open(o);
  }
  void make(ChatModelAdapter adapter) {
    ThreadRuntimeOptions o;
    o.chat_model = std::move(adapter);
    o.dispatcher = d->dispatcher();
    o.executor = d->executor();
    thread = std::make_unique<ThreadRuntime>(std::move(o));
  }
  StreamCheckpointer::Options options() {
    StreamCheckpointer::Options o;
    o.clock = [this] { return now; };
    o.executor = writes;
    o.on_error = [this](const std::string& m) { errors.push_back(m); };
    return o;
  }
  /// The runtime writes the user message itself (spec §12.4); these tests give it no history
  /// adapter, so the test writes it.
  void write_user_message() {
    store->history("t")->append(ExportedMessageRepositoryItem{thread->messages()[0], std::nullopt, std::nullopt});
  }
  std::string stored_text(std::size_t i) {
    auto loaded = store->history("t")->load();
    return i < loaded.messages.size() ? loaded.messages[i].message->text() : "<none>";
  }

  fs::path dir;
  std::shared_ptr<SqliteStore> store;
  std::shared_ptr<Driver> d = std::make_shared<Driver>();
  std::shared_ptr<ManualExecutor> writes = std::make_shared<ManualExecutor>();
  std::chrono::steady_clock::time_point now{};
  std::vector<std::string> errors;
  std::unique_ptr<ThreadRuntime> thread;
};

TEST_F(Checkpointer, WritesTheStreamingReplyAtMostOncePerIntervalOffTheOwnerThread) {
  Gate g1, g2, g3;
  make([&](const ChatModelRunOptions&, RunResultSink& sink) {
    sink.yield(T("Once"));
    g1.wait(*d);
    sink.yield(T("Once upon"));
    g2.wait(*d);
    sink.yield(T("Once upon a time"));
    g3.wait(*d);
    sink.yield(T("Once upon a time, the end."));
  });
  auto history = store->history("t");
  StreamCheckpointer checkpointer(*thread, history, options());
  auto c = thread->append(U("tell me a story"));
  d->settle();
  write_user_message();
  // The first running state is written at once, but not on the owner thread.
  EXPECT_EQ(checkpointer.checkpoints(), 1u);
  ASSERT_EQ(writes->pending(), 1u);
  EXPECT_EQ(stored_text(1), "<none>") << "nothing is written on the owner thread";
  std::thread::id writer_thread;
  writes->run_on_worker(&writer_thread);
  EXPECT_NE(writer_thread, std::this_thread::get_id());
  EXPECT_EQ(stored_text(1), "Once");

  now += 100ms;  // within the interval: no write
  g1.release();
  d->settle();
  EXPECT_EQ(thread->messages().back()->text(), "Once upon");
  EXPECT_EQ(checkpointer.checkpoints(), 1u);
  EXPECT_EQ(writes->pending(), 0u);

  now += 150ms;  // 250 ms since the last checkpoint
  g2.release();
  d->settle();
  EXPECT_EQ(checkpointer.checkpoints(), 2u);
  writes->run_on_worker();
  EXPECT_EQ(stored_text(1), "Once upon a time");

  // The app dies here. On the next start the reply is there, incomplete.
  thread->detach();
  auto reopened = open_store();
  auto loaded = reopened->history("t")->load();
  ASSERT_EQ(loaded.messages.size(), 2u);
  EXPECT_EQ(loaded.messages[1].message->text(), "Once upon a time");
  EXPECT_TRUE(loaded.messages[1].message->status.is(StatusType::Incomplete, StatusReason::Error));
  EXPECT_EQ(loaded.messages[1].parent_id, loaded.messages[0].message->id);
  g3.release();
  d->settle();
  EXPECT_TRUE(errors.empty());
  (void)c;
}

TEST_F(Checkpointer, CheckpointsWaitingBehindASlowWriteCollapseToTheNewest) {
  Gate g1, g2;
  make([&](const ChatModelRunOptions&, RunResultSink& sink) {
    sink.yield(T("a"));
    g1.wait(*d);
    sink.yield(T("ab"));
    g2.wait(*d);
    sink.yield(T("abc"));
  });
  StreamCheckpointer checkpointer(*thread, store->history("t"), options());
  auto c = thread->append(U("go"));
  d->settle();
  write_user_message();
  now += 300ms;
  g1.release();
  d->settle();
  g2.release();  // no time passes: "abc" is not a checkpoint
  d->settle();
  EXPECT_EQ(checkpointer.checkpoints(), 2u);
  EXPECT_EQ(writes->pending(), 1u) << "one writer job at a time; the second checkpoint waits in its slot";
  writes->run_on_worker();
  // The newest running state was written; the settled reply is the runtime's own write to make.
  EXPECT_EQ(stored_text(1), "ab");
  EXPECT_TRUE(c.succeeded_ok());
}

TEST_F(Checkpointer, RefusesAHistoryWithoutUpdate) {
  make([](const ChatModelRunOptions&) { return T("x"); });
  struct AppendOnly : ThreadHistoryAdapter {
    ThreadHistoryLoadResult load() override { return {}; }
    void append(const ExportedMessageRepositoryItem&) override {}
  };
  try {
    StreamCheckpointer c(*thread, std::make_shared<AppendOnly>(), options());
    ADD_FAILURE() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
  }
}

TEST_F(Checkpointer, AFailedWriteIsReportedAndTheRunGoesOn) {
  Gate g;
  make([&](const ChatModelRunOptions&, RunResultSink& sink) {
    sink.yield(T("partial"));
    g.wait(*d);
  });
  struct Failing : ThreadHistoryAdapter {
    ThreadHistoryLoadResult load() override { return {}; }
    void append(const ExportedMessageRepositoryItem&) override {}
    bool has_update() const override { return true; }
    void update(const ExportedMessageRepositoryItem&) override { throw Error(ErrorKind::Storage, "disk full"); }
  };
  StreamCheckpointer checkpointer(*thread, std::make_shared<Failing>(), options());
  auto c = thread->append(U("go"));
  d->settle();
  writes->run_on_worker();
  g.release();
  d->settle();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("disk full"), std::string::npos);
  EXPECT_TRUE(c.succeeded_ok());
}

}  // namespace
}  // namespace aui
