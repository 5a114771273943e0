// The error rule at the top of aui/support/errors.hpp (issue 15 item 6, spec §18): a wrong call
// throws aui::Error at once; an operation that starts work reports only through its Completion;
// errors no caller can receive go to on_error as an aui::Error carrying its kind and cause.

#include <gtest/gtest.h>

#include <cctype>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "aui/runtime/thread_list_runtime.hpp"
#include "aui/runtime/thread_runtime.hpp"
#include "aui/support/errors.hpp"
#include "support/runtime_driver.hpp"

namespace aui {
namespace {

using testing::Driver;
using testing::failure_kind;
using testing::ScriptedAdapter;

// ---------------------------------------------------------------------------------------------
// The error object and the handler

TEST(ErrorObject, CarriesItsKindItsMessageAndItsCause) {
  const auto cause = std::make_exception_ptr(std::runtime_error("disk full"));
  const Error e(ErrorKind::Storage, "saving the reply failed: disk full", cause);
  EXPECT_EQ(e.kind(), ErrorKind::Storage);
  EXPECT_EQ(e.message(), "saving the reply failed: disk full");
  EXPECT_EQ(std::string(e.what()), "Storage: saving the reply failed: disk full");
  ASSERT_TRUE(e.cause());
  EXPECT_EQ(e.cause(), cause);
  EXPECT_EQ(describe_exception(e.cause()), "disk full");
}

TEST(ErrorObject, TheOldConstructorHasNoCause) {
  const Error e(ErrorKind::BranchNotFound, "no branch \"x\"");
  EXPECT_FALSE(e.cause());
  EXPECT_EQ(e.message(), "no branch \"x\"");
}

TEST(ErrorObject, DescribeExceptionGivesTheSentenceWithoutTheKind) {
  EXPECT_EQ(describe_exception(std::make_exception_ptr(Error(ErrorKind::Cycle, "a loop"))),
            "a loop");
  EXPECT_EQ(describe_exception(std::make_exception_ptr(std::logic_error("bad"))), "bad");
  EXPECT_EQ(describe_exception(nullptr), "no error");
  EXPECT_EQ(describe_exception(std::make_exception_ptr(42)), "unknown error");
}

TEST(ErrorHandlerForms, AHandlerOfTheErrorObjectReceivesIt) {
  std::vector<ErrorKind> kinds;
  std::vector<std::string> messages;
  ErrorHandler handler = [&](const Error& e) {
    kinds.push_back(e.kind());
    messages.push_back(e.message());
  };
  ASSERT_TRUE(handler);
  handler(Error(ErrorKind::ListenerFailed, "a listener threw: boom"));
  EXPECT_EQ(kinds, std::vector<ErrorKind>{ErrorKind::ListenerFailed});
  EXPECT_EQ(messages, std::vector<std::string>{"a listener threw: boom"});
}

TEST(ErrorHandlerForms, AStringHandlerOfEarlierReleasesStillCompilesAndGetsTheMessage) {
  std::vector<std::string> got;
  ThreadRuntimeOptions o;
  o.on_error = [&](const std::string& m) { got.push_back(m); };  // a lambda
  std::function<void(const std::string&)> legacy = [&](const std::string& m) { got.push_back(m); };
  ThreadRuntimeOptions p;
  p.on_error = legacy;  // a std::function of the old type
  ASSERT_TRUE(o.on_error);
  ASSERT_TRUE(p.on_error);
  o.on_error(Error(ErrorKind::Storage, "saving failed"));
  p.on_error(Error(ErrorKind::AdapterFailed, "speech failed"));
  EXPECT_EQ(got, (std::vector<std::string>{"saving failed", "speech failed"}));
}

TEST(ErrorHandlerForms, EmptyFormsMakeAnEmptyHandler) {
  ErrorHandler none;
  EXPECT_FALSE(none);
  ErrorHandler null = nullptr;
  EXPECT_FALSE(null);
  ErrorHandler empty_legacy = std::function<void(const std::string&)>();
  EXPECT_FALSE(empty_legacy);
  ErrorHandler empty_new = std::function<void(const Error&)>();
  EXPECT_FALSE(empty_new);
}

// Lambdas without captures convert to function pointers; testing those for null would not
// compile under -Werror=address (aui-chat's handlers are such lambdas).
void log_message(const std::string&) {}
TEST(ErrorHandlerForms, CapturelessLambdasAndFunctionsMakeAHandler) {
  ErrorHandler message_lambda = [](const std::string&) {};
  EXPECT_TRUE(message_lambda);
  ErrorHandler error_lambda = [](const Error&) {};
  EXPECT_TRUE(error_lambda);
  ErrorHandler function = &log_message;
  EXPECT_TRUE(function);
  void (*no_function)(const std::string&) = nullptr;
  ErrorHandler null_function = no_function;
  EXPECT_FALSE(null_function);
}

// ---------------------------------------------------------------------------------------------
// Test doubles

struct Feedback : FeedbackAdapter {
  void submit(const FeedbackSubmission&) override {}
};

struct Speech : SpeechSynthesisAdapter {
  std::shared_ptr<Utterance> speak(const std::string&) override { return nullptr; }
};

// A history adapter whose calls fail on demand.
struct History : ThreadHistoryAdapter {
  bool fail_append = false;
  bool fail_load = false;
  bool can_delete = true;
  ThreadHistoryLoadResult load() override {
    if (fail_load) throw std::runtime_error("no such table");
    return {};
  }
  void append(const ExportedMessageRepositoryItem&) override {
    if (fail_append) throw std::runtime_error("disk full");
  }
  bool has_delete() const override { return can_delete; }
  void remove(const std::vector<ExportedMessageRepositoryItem>&) override {}
};

// A thread with a user message and its reply, and every error that reached on_error.
struct World {
  std::shared_ptr<Driver> driver = std::make_shared<Driver>();
  ScriptedAdapter model{*driver};
  std::vector<Error> errors;
  std::unique_ptr<ThreadRuntime> thread;
  std::vector<Subscription> keep;  // registrations a row makes

  explicit World(const std::function<void(ThreadRuntimeOptions&)>& configure = {}) {
    ThreadRuntimeOptions o;
    o.dispatcher = driver->dispatcher();
    o.executor = driver->executor();
    o.chat_model = model;
    o.on_error = [this](const Error& e) { errors.push_back(e); };
    if (configure) configure(o);
    thread = std::make_unique<ThreadRuntime>(std::move(o));
    model.reply("hey");
    thread->append("hi");
    driver->settle();
  }
  ~World() {
    keep.clear();
    thread.reset();  // detached before the driver goes: workers end
  }

  const Id& user() const { return thread->messages()[0]->id; }
  const Id& reply() const { return thread->messages()[1]->id; }
  std::string branch() const { return testing::branch_string(*thread); }
};

// ---------------------------------------------------------------------------------------------
// §18, row by row: which errors a call throws at once (sync) and which fail its completion
// (async), for every row our API has.

enum class Mode { Sync, Async };

struct Row {
  const char* name;
  ErrorKind kind;
  Mode mode;
  std::function<void(ThreadRuntimeOptions&)> configure;
  // Returns the completion of an operation that starts work; nullopt for one that does not.
  std::function<std::optional<Completion>(World&)> call;
};

std::vector<Row> rows() {
  auto none = [](ThreadRuntimeOptions&) {};
  auto with_history = [](ThreadRuntimeOptions& o) {
    o.adapters.history = std::make_shared<History>();
  };
  auto with_queue = [](ThreadRuntimeOptions& o) { o.enable_message_queue = true; };
  using W = World&;
  using R = std::optional<Completion>;
  return {
      {"append under an unknown parent", ErrorKind::ParentNotFound, Mode::Async, none,
       [](W w) -> R {
         auto m = AppendMessage::user("x");
         m.parent = Parent::message("nope");
         return w.thread->append(std::move(m));
       }},
      {"append of a message that does not normalise", ErrorKind::InvalidMessage, Mode::Async, none,
       [](W w) -> R {
         auto m = AppendMessage::user("x");
         m.status = MessageStatus::complete();  // only assistant messages have one
         return w.thread->append(std::move(m));
       }},
      {"append with two tools of one name", ErrorKind::DuplicateTool, Mode::Async,
       [](ThreadRuntimeOptions&) {},
       [](W w) -> R {
         w.keep.push_back(w.thread->register_tools(Toolkit{{"t", Tool{.description = "one"}}}));
         w.keep.push_back(w.thread->register_tools(Toolkit{{"t", Tool{.description = "two"}}}));
         return w.thread->append("x");
       }},
      {"append when the initialisation barrier fails", ErrorKind::MessageNotSent, Mode::Async,
       [](ThreadRuntimeOptions& o) {
         auto first = std::make_shared<bool>(true);
         o.initialize_barrier = [first] {
           if (std::exchange(*first, false)) return Completion::succeeded();
           return Completion::failed_with(std::make_exception_ptr(std::runtime_error("down")));
         };
       },
       [](W w) -> R { return w.thread->append("x"); }},
      {"start_run under an unknown head", ErrorKind::HeadNotFound, Mode::Async, none,
       [](W w) -> R { return w.thread->start_run(StartRunConfig{.parent_id = Id("nope")}); }},
      {"resume_run under an unknown head", ErrorKind::HeadNotFound, Mode::Async, none,
       [](W w) -> R {
         return w.thread->resume_run(StartRunConfig{.parent_id = Id("nope")},
                                     ChatModelAdapter([](const ChatModelRunOptions&) {
                                       return ChatModelRunResult::text("x");
                                     }));
       }},
      {"resume_run without a stream", ErrorKind::StreamRequired, Mode::Sync, none,
       [](W w) -> R { return w.thread->resume_run(StartRunConfig{}, ChatModelAdapter{}); }},
      {"reload of a user message", ErrorKind::NotAssistant, Mode::Sync, none,
       [](W w) -> R { return w.thread->reload(w.user()); }},
      {"reload of an unknown message", ErrorKind::MessageNotFound, Mode::Sync, none,
       [](W w) -> R { return w.thread->reload("nope"); }},
      {"delete_message without a history delete", ErrorKind::DeleteUnsupported, Mode::Async, none,
       [](W w) -> R { return w.thread->delete_message(w.reply()); }},
      {"delete_message of an unknown message", ErrorKind::MessageNotFound, Mode::Async,
       with_history, [](W w) -> R { return w.thread->delete_message("nope"); }},
      {"get_branches of an unknown message", ErrorKind::MessageNotFound, Mode::Sync, none,
       [](W w) -> R {
         (void)w.thread->get_branches("nope");
         return std::nullopt;
       }},
      {"switch_to_branch to an unknown id", ErrorKind::BranchNotFound, Mode::Sync, none,
       [](W w) -> R {
         w.thread->switch_to_branch("nope");
         return std::nullopt;
       }},
      {"switch to a previous branch that is not there", ErrorKind::BranchNotFound, Mode::Sync, none,
       [](W w) -> R {
         w.thread->switch_to_branch(w.reply(), ThreadRuntime::BranchPosition::Previous);
         return std::nullopt;
       }},
      {"begin_edit of an unknown message", ErrorKind::MessageNotFound, Mode::Sync, none,
       [](W w) -> R {
         w.thread->begin_edit("nope");
         return std::nullopt;
       }},
      {"begin_edit twice", ErrorKind::EditInProgress, Mode::Sync, none,
       [](W w) -> R {
         w.thread->begin_edit(w.user());
         w.thread->begin_edit(w.user());
         return std::nullopt;
       }},
      {"add_tool_result on a user message", ErrorKind::NotAssistant, Mode::Sync, none,
       [](W w) -> R {
         w.thread->add_tool_result(ToolResult{.message_id = w.user(), .tool_call_id = "c"});
         return std::nullopt;
       }},
      {"add_tool_result for an unknown call", ErrorKind::ToolCallNotFound, Mode::Sync, none,
       [](W w) -> R {
         w.thread->add_tool_result(ToolResult{.message_id = w.reply(), .tool_call_id = "c"});
         return std::nullopt;
       }},
      {"respond_to_tool_approval for an unknown gate", ErrorKind::ApprovalNotFound, Mode::Sync,
       none,
       [](W w) -> R {
         w.thread->respond_to_tool_approval(ToolApprovalResponse{.approval_id = "g"});
         return std::nullopt;
       }},
      {"submit_feedback without an adapter", ErrorKind::AdapterMissing, Mode::Sync, none,
       [](W w) -> R {
         w.thread->submit_feedback(w.reply(), FeedbackType::Positive);
         return std::nullopt;
       }},
      {"submit_feedback on an unknown message", ErrorKind::MessageNotFound, Mode::Sync,
       [](ThreadRuntimeOptions& o) { o.adapters.feedback = std::make_shared<Feedback>(); },
       [](W w) -> R {
         w.thread->submit_feedback("nope", FeedbackType::Positive);
         return std::nullopt;
       }},
      {"speak without an adapter", ErrorKind::AdapterMissing, Mode::Sync, none,
       [](W w) -> R {
         w.thread->speak(w.reply());
         return std::nullopt;
       }},
      {"speak an unknown message", ErrorKind::MessageNotFound, Mode::Sync,
       [](ThreadRuntimeOptions& o) { o.adapters.speech = std::make_shared<Speech>(); },
       [](W w) -> R {
         w.thread->speak("nope");
         return std::nullopt;
       }},
      {"stop_speaking with nothing spoken", ErrorKind::NotSpeaking, Mode::Sync, none,
       [](W w) -> R {
         w.thread->stop_speaking();
         return std::nullopt;
       }},
      {"resume_tool_call", ErrorKind::Unsupported, Mode::Sync, none,
       [](W w) -> R { w.thread->resume_tool_call(); }},
      {"message_state at a negative index", ErrorKind::InvalidArgument, Mode::Sync, none,
       [](W w) -> R {
         (void)w.thread->message_state(-1L);
         return std::nullopt;
       }},
      {"model_context with two tools of one name", ErrorKind::DuplicateTool, Mode::Sync, none,
       [](W w) -> R {
         auto a = w.thread->register_tools(Toolkit{{"t", Tool{.description = "one"}}});
         auto b = w.thread->register_tools(Toolkit{{"t", Tool{.description = "two"}}});
         (void)w.thread->model_context();
         return std::nullopt;
       }},
      {"a composer's file attachment without an adapter", ErrorKind::AttachmentsUnsupported,
       Mode::Async, none,
       [](W w) -> R {
         return w.thread->composer().add_attachment(HostFile{.name = "a.txt", .bytes = "x"});
       }},
      {"a composer's removal of an unknown attachment", ErrorKind::AttachmentNotFound, Mode::Async,
       none, [](W w) -> R { return w.thread->composer().remove_attachment("nope"); }},
      {"a composer's dictation without an adapter", ErrorKind::AdapterMissing, Mode::Sync, none,
       [](W w) -> R {
         w.thread->composer().start_dictation();
         return std::nullopt;
       }},
      {"editing an unknown queue item", ErrorKind::UnknownQueueItem, Mode::Sync, with_queue,
       [](W w) -> R {
         w.thread->queue()->edit("nope", AppendMessage::user("x"));
         return std::nullopt;
       }},
      {"moving an unknown queue item", ErrorKind::UnknownQueueItem, Mode::Sync, with_queue,
       [](W w) -> R {
         w.thread->queue()->move("nope", QueueMove::to_front());
         return std::nullopt;
       }},
  };
}

class ErrorTable : public ::testing::TestWithParam<Row> {};

TEST_P(ErrorTable, FailsTheWayTheRuleSays) {
  const Row& row = GetParam();
  World w(row.configure);
  const std::string before = w.branch();
  if (row.mode == Mode::Sync) {
    try {
      (void)row.call(w);
      ADD_FAILURE() << "nothing was thrown";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), row.kind) << e.what();
    }
    EXPECT_EQ(w.branch(), before) << "a call that throws changes nothing";
  } else {
    std::optional<Completion> done;
    try {
      done = row.call(w);
    } catch (const std::exception& e) {
      FAIL() << "an operation that starts work threw: " << e.what();
    }
    ASSERT_TRUE(done.has_value());
    w.driver->settle();
    ASSERT_TRUE(done->failed());
    EXPECT_EQ(failure_kind(*done), row.kind) << describe_exception(done->error());
  }
  EXPECT_TRUE(w.errors.empty()) << "a caller received it: on_error must not get it too; got "
                                << (w.errors.empty() ? "" : w.errors.front().what());
}

INSTANTIATE_TEST_SUITE_P(Spec18, ErrorTable, ::testing::ValuesIn(rows()),
                         [](const ::testing::TestParamInfo<Row>& param) {
                           std::string name;
                           for (const char* c = param.param.name; *c; ++c)
                             name += std::isalnum(static_cast<unsigned char>(*c)) ? *c : '_';
                           return name;
                         });

// The thread list's rows: every list operation starts work, so every failure is its completion's.
TEST(ErrorTableThreadList, ListOperationsFailThroughTheirCompletions) {
  Driver driver;
  std::vector<Error> errors;
  ThreadListRuntimeOptions o;
  o.thread.dispatcher = driver.dispatcher();
  o.thread.executor = driver.executor();
  o.thread.chat_model =
      ChatModelAdapter([](const ChatModelRunOptions&) { return ChatModelRunResult::text("hey"); });
  o.thread.on_error = [&](const Error& e) { errors.push_back(e); };
  ThreadListRuntime list(o);
  driver.settle();
  auto single = ThreadListRuntime::single(o.thread);
  const std::string draft = list.main_thread_id();

  struct ListRow {
    const char* name;
    ErrorKind kind;
    std::function<Completion()> call;
  };
  const std::vector<ListRow> list_rows = {
      {"rename an unknown thread", ErrorKind::ThreadNotFound,
       [&] { return list.rename("x", "t"); }},
      {"archive an unknown thread", ErrorKind::ThreadNotFound, [&] { return list.archive("x"); }},
      {"rename the draft", ErrorKind::ThreadStatus, [&] { return list.rename(draft, "t"); }},
      {"delete the draft", ErrorKind::ThreadStatus, [&] { return list.remove(draft); }},
      {"switch to an unknown thread", ErrorKind::ThreadNotFound,
       [&] { return list.switch_to_thread("x"); }},
      {"rename in a single-thread list", ErrorKind::Unsupported,
       [&] { return single->rename("__DEFAULT_ID__", "t"); }},
  };
  for (const auto& row : list_rows) {
    SCOPED_TRACE(row.name);
    std::optional<Completion> done;
    EXPECT_NO_THROW(done = row.call());
    ASSERT_TRUE(done.has_value());
    driver.settle();
    ASSERT_TRUE(done->failed());
    EXPECT_EQ(failure_kind(*done), row.kind);
  }
  EXPECT_TRUE(errors.empty());
}

// ---------------------------------------------------------------------------------------------
// Errors carry their cause

TEST(ErrorCause, MessageNotSentCarriesTheBarriersError) {
  World w([](ThreadRuntimeOptions& o) {
    auto first = std::make_shared<bool>(true);
    o.initialize_barrier = [first] {
      if (std::exchange(*first, false)) return Completion::succeeded();
      return Completion::failed_with(std::make_exception_ptr(std::runtime_error("store down")));
    };
  });
  auto done = w.thread->append("again");
  w.driver->settle();
  ASSERT_TRUE(done.failed());
  try {
    std::rethrow_exception(done.error());
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::MessageNotSent);
    EXPECT_EQ(describe_exception(e.cause()), "store down");
  }
}

TEST(ErrorCause, AnAdapterErrorPropagatesUnchanged) {
  World w;
  struct Custom : std::runtime_error {
    using std::runtime_error::runtime_error;
  };
  auto done =
      w.thread->resume_run(StartRunConfig{.parent_id = w.user()},
                           ChatModelAdapter([](const ChatModelRunOptions&) -> ChatModelRunResult {
                             throw Custom("model overloaded");
                           }));
  w.driver->settle();
  ASSERT_TRUE(done.failed());
  EXPECT_THROW(std::rethrow_exception(done.error()), Custom);
  EXPECT_TRUE(w.errors.empty()) << "the reply shows it, the caller has it";
}

// ---------------------------------------------------------------------------------------------
// Errors no caller can receive go to on_error, as Error objects

TEST(OnError, AThrowingSubscriberIsReportedWithWhatItThrew) {
  World w;
  auto sub = w.thread->subscribe([] { throw std::invalid_argument("view broke"); });
  const Id reply = w.reply();
  w.thread->switch_to_branch(reply);
  ASSERT_EQ(w.errors.size(), 1u);
  EXPECT_EQ(w.errors[0].kind(), ErrorKind::ListenerFailed);
  EXPECT_THROW(std::rethrow_exception(w.errors[0].cause()), std::invalid_argument);
  EXPECT_NE(w.errors[0].message().find("view broke"), std::string::npos);
}

TEST(OnError, AThrowingQueueSubscriberIsReportedWithWhatItThrew) {
  World w([](ThreadRuntimeOptions& o) { o.enable_message_queue = true; });
  auto sub = w.thread->queue()->subscribe([] { throw std::invalid_argument("queue view broke"); });
  w.model.hang();
  (void)w.thread->append("long");
  (void)w.thread->append("queued");  // the queue changes: its subscriber throws
  ASSERT_FALSE(w.errors.empty());
  EXPECT_EQ(w.errors[0].kind(), ErrorKind::ListenerFailed);
  EXPECT_THROW(std::rethrow_exception(w.errors[0].cause()), std::invalid_argument);
  w.thread->cancel_run();
  w.driver->settle();
}

// Deviation fixed: a failed load_history() went to its completion and to on_error.
TEST(OnError, AFailedLoadIsTheCallersNotOnErrors) {
  auto history = std::make_shared<History>();
  history->fail_load = true;
  World w([&](ThreadRuntimeOptions& o) { o.adapters.history = history; });
  auto loaded = w.thread->load_history();
  w.driver->settle();
  ASSERT_TRUE(loaded.failed());
  EXPECT_EQ(describe_exception(loaded.error()), "no such table");
  EXPECT_TRUE(w.errors.empty());
}

TEST(OnError, ALoadNobodyAwaitsIsReportedAsStorage) {
  World w;
  // load_history() without an adapter succeeds at once; the load runs when one arrives — on an
  // empty thread only, so start from one.
  w.thread->reset();
  (void)w.thread->load_history();
  auto history = std::make_shared<History>();
  history->fail_load = true;
  w.thread->set_adapters(ThreadAdapters{.history = history});
  w.driver->settle();
  ASSERT_EQ(w.errors.size(), 1u);
  EXPECT_EQ(w.errors[0].kind(), ErrorKind::Storage);
  EXPECT_EQ(describe_exception(w.errors[0].cause()), "no such table");
}

// Deviation fixed: a composer's message that the thread could not send vanished back into the
// draft without a word.
TEST(OnError, AComposersMessageThatCouldNotBeSentIsReported) {
  World w([](ThreadRuntimeOptions& o) {
    auto first = std::make_shared<bool>(true);
    o.initialize_barrier = [first] {
      if (std::exchange(*first, false)) return Completion::succeeded();
      return Completion::failed_with(std::make_exception_ptr(std::runtime_error("store down")));
    };
  });
  auto& composer = w.thread->composer();
  composer.set_text("lost?");
  auto sent = composer.send();
  w.driver->settle();
  EXPECT_TRUE(sent.succeeded_ok());     // handed over
  EXPECT_EQ(composer.text(), "lost?");  // the draft is back (spec §8.3 step 11)
  ASSERT_EQ(w.errors.size(), 1u);       // and on_error says why
  EXPECT_EQ(w.errors[0].kind(), ErrorKind::MessageNotSent);
  EXPECT_EQ(describe_exception(w.errors[0].cause()), "store down");
}

// Deviation fixed: a failed history write of a message the composer sent reached nobody.
TEST(OnError, AFailedWriteOfAComposersMessageIsReportedAsStorage) {
  auto history = std::make_shared<History>();
  World w([&](ThreadRuntimeOptions& o) { o.adapters.history = history; });
  history->fail_append = true;
  w.model.reply("ok");
  auto& composer = w.thread->composer();
  composer.set_text("keep me");
  (void)composer.send();
  w.driver->settle();
  ASSERT_FALSE(w.errors.empty());
  EXPECT_EQ(w.errors[0].kind(), ErrorKind::Storage);
  EXPECT_EQ(describe_exception(w.errors[0].cause()), "disk full");
}

TEST(OnError, AFailedWriteOfAnAwaitedAppendIsTheCallers) {
  auto history = std::make_shared<History>();
  World w([&](ThreadRuntimeOptions& o) { o.adapters.history = history; });
  history->fail_append = true;
  w.model.reply("ok");
  auto done = w.thread->append("keep me");
  w.driver->settle();
  ASSERT_TRUE(done.failed());
  EXPECT_EQ(describe_exception(done.error()), "disk full");
  EXPECT_TRUE(w.errors.empty());
}

// Deviation fixed: a queued message that could not be sent (the initialisation barrier failed
// when its turn came) was dropped without a word.
TEST(OnError, AQueuedMessageThatCouldNotBeSentIsReported) {
  auto calls = std::make_shared<int>(0);
  World w([calls](ThreadRuntimeOptions& o) {
    o.enable_message_queue = true;
    o.initialize_barrier = [calls] {
      if (++*calls < 3) return Completion::succeeded();
      return Completion::failed_with(std::make_exception_ptr(std::runtime_error("store down")));
    };
  });
  w.model.defer();
  auto first = w.thread->append("first");  // the barrier's second call: it runs
  w.driver->settle();
  auto queued = w.thread->append("second");  // waits in the queue
  EXPECT_TRUE(queued.succeeded_ok());
  EXPECT_EQ(w.thread->queue()->size(), 1u);
  w.model.resolve(2, "done");
  w.driver->settle();
  ASSERT_EQ(w.errors.size(), 1u);
  EXPECT_EQ(w.errors[0].kind(), ErrorKind::MessageNotSent);
  EXPECT_EQ(describe_exception(w.errors[0].cause()), "store down");
}

// The thread list: its own loads report; a load a caller asked for is the caller's.
struct FailingList : InMemoryThreadListAdapter {
  RemoteThreadListPage list(const std::optional<std::string>&) override {
    throw std::runtime_error("list failed");
  }
};

TEST(OnError, TheListsOwnFirstLoadIsReportedButAReloadIsTheCallers) {
  Driver driver;
  std::vector<Error> errors;
  ThreadListRuntimeOptions o;
  o.thread.dispatcher = driver.dispatcher();
  o.thread.executor = driver.executor();
  o.thread.chat_model =
      ChatModelAdapter([](const ChatModelRunOptions&) { return ChatModelRunResult::text("hey"); });
  o.thread.on_error = [&](const Error& e) { errors.push_back(e); };
  o.adapter = std::make_shared<FailingList>();
  ThreadListRuntime list(o);
  driver.settle();
  ASSERT_EQ(errors.size(), 1u);  // nobody asked for the first load
  EXPECT_EQ(errors[0].kind(), ErrorKind::AdapterFailed);
  EXPECT_EQ(describe_exception(errors[0].cause()), "list failed");
  auto again = list.reload();
  driver.settle();
  ASSERT_TRUE(again.failed());
  EXPECT_EQ(describe_exception(again.error()), "list failed");
  EXPECT_EQ(errors.size(), 1u);  // the caller has it
}

}  // namespace
}  // namespace aui
