// Races cancel, regenerate, edit, append and branch switches against a fast streaming adapter on
// real threads (a WorkerPool and an EventLoop). Run under ThreadSanitizer by the tsan preset.
// The operations are random but seeded; the invariants are checked once everything settled.

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <random>

#include "aui/local_runtime.hpp"
#include "aui/model/message_json.hpp"
#include "aui/runtime/tool_execution.hpp"
#include "aui/support/errors.hpp"

namespace {

using namespace aui;

std::vector<Id> branch_by_parent_links(const ThreadRuntime& thread) {
  std::vector<Id> path;
  auto head = thread.repository().head_id();
  while (head) {
    path.push_back(*head);
    head = thread.get_message_by_id(*head)->parent_id;
  }
  return {path.rbegin(), path.rend()};
}

std::vector<Id> ids(const MessageList& list) {
  std::vector<Id> out;
  for (const auto& m : list) out.push_back(m->id);
  return out;
}

TEST(RuntimeStress, RacingOperationsKeepTheThreadConsistent) {
  auto pool = std::make_shared<WorkerPool>();
  ThreadRuntimeOptions options;
  options.executor = pool;
  options.chat_model = [](const ChatModelRunOptions& o, RunResultSink& sink) {
    Text text;
    for (int i = 0; i < 200 && !o.stop_token.stop_requested(); ++i) {
      text += "token ";
      sink.yield(ChatModelRunResult::text(text));
      if (i % 50 == 0) std::this_thread::yield();
    }
  };
  LocalRuntime rt(std::move(options));
  auto& thread = rt.thread();
  auto& loop = *rt.event_loop();
  std::size_t notifications = 0;
  auto sub = thread.subscribe([&] {
    ++notifications;
    // Readers see consistent snapshots while runs stream.
    const auto& msgs = thread.messages();
    if (!msgs.empty()) (void)msgs.back()->text();
  });

  std::mt19937 rng(20261125);
  std::vector<Completion> pending;
  for (int op = 0; op < 2000; ++op) {
    const auto& msgs = thread.messages();
    const int kind = static_cast<int>(rng() % 10);
    try {
      if (kind < 3 || msgs.empty()) {
        pending.push_back(thread.append("message " + std::to_string(op)));
      } else if (kind == 3) {
        thread.cancel_run();
      } else if (kind == 4) {
        for (std::size_t i = msgs.size(); i-- > 0;) {
          if (msgs[i]->role == Role::Assistant) {
            const Id id = msgs[i]->id;  // a copy: the branch changes under the reload
            pending.push_back(thread.reload(id));
            break;
          }
        }
      } else if (kind == 5) {
        const Id target = msgs[rng() % msgs.size()]->id;
        if (!thread.edit_composer(target)) {
          auto& edit = thread.begin_edit(target);
          edit.set_text("edit " + std::to_string(op));
          pending.push_back(edit.send());
        }
      } else if (kind == 6) {
        const Id target = msgs[rng() % msgs.size()]->id;
        const auto branches = thread.get_branches(target);
        thread.switch_to_branch(branches[rng() % branches.size()]);
      }
      // kinds 7–9: let the owner loop run a little.
      loop.run_pending();
    } catch (const Error& e) {
      ADD_FAILURE() << "operation " << op << " failed: " << e.what();
    }
  }
  thread.cancel_run();
  for (const auto& c : pending) loop.run_until(c);
  loop.run_until([&] {
    for (const auto& m : thread.messages()) {
      if (m->status.type == StatusType::Running) return false;
    }
    return true;
  });

  EXPECT_GT(notifications, 0u);
  // Nothing on the branch is left running, and the cached branch is the real path to the head.
  for (const auto& m : thread.messages()) EXPECT_NE(m->status.type, StatusType::Running);
  EXPECT_EQ(ids(thread.messages()), branch_by_parent_links(thread));
  // An export imports back to the same branch.
  const auto exported = thread.export_repository();
  MessageRepository copy;
  copy.import_repository(exported);
  EXPECT_EQ(ids(copy.messages()), ids(thread.messages()));
}

// Races approvals, tool results, "always" decisions, cancels and regenerates against a tool loop
// whose tools run on workers. A tool call runs at most once per id to the end; the thread ends
// consistent.
TEST(RuntimeStress, ApprovalsToolResultsAndCancelsRace) {
  std::mutex mutex;
  std::map<std::string, int> finished_runs;  // call id → times a tool ran to the end
  auto pool = std::make_shared<WorkerPool>();
  ThreadRuntimeOptions options;
  options.executor = pool;
  options.max_steps = 1000;
  options.human_tool_names = std::vector<std::string>{"ask"};
  options.chat_model = [](const ChatModelRunOptions& o, RunResultSink& sink) {
    const auto so_far = o.get_message()->content;
    if (!so_far.empty()) {
      sink.yield(ChatModelRunResult::text("answered " + std::to_string(so_far.size())));
      return;
    }
    Text text;
    for (int i = 0; i < 20 && !o.stop_token.stop_requested(); ++i) {
      text += "thinking ";
      sink.yield(ChatModelRunResult::text(text));
    }
    auto call = [&](const char* name, int n) {
      ToolCallPart c;
      c.tool_name = name;
      c.tool_call_id = std::string(name) + "-" + std::to_string(n) + "-" + o.assistant_message_id;
      return c;
    };
    ChatModelRunResult r;
    r.content = execute_tool_calls(
        o, {TextPart{text}, call("lookup", 1), call("deploy", 2), call("ask", 3)}, &sink);
    r.status = MessageStatus::requires_action(StatusReason::ToolCalls);
    sink.yield(std::move(r));
  };
  LocalRuntime rt(std::move(options));
  auto& thread = rt.thread();
  auto& loop = *rt.event_loop();
  auto count = [&](const ToolInvocation& inv) {
    std::lock_guard lock(mutex);
    ++finished_runs[inv.tool_call_id];
  };
  auto tools = thread.register_tools({
      {"lookup", Tool{.execute =
                          [&](const Json&, const ToolInvocation& inv) {
                            count(inv);
                            return "found";
                          }}},
      {"deploy", Tool{.execute =
                          [&](const Json&, const ToolInvocation& inv) {
                            count(inv);
                            return "deployed";
                          },
                      .needs_approval = true}},
      {"ask", Tool{.type = "human"}},
  });

  std::mt19937 rng(20261126);
  std::vector<Completion> pending;
  int decisions = 0;
  for (int op = 0; op < 1500; ++op) {
    const auto& msgs = thread.messages();
    const int kind = static_cast<int>(rng() % 12);
    try {
      if (kind < 2 || msgs.empty()) {
        pending.push_back(thread.append("go " + std::to_string(op)));
      } else if (kind == 2) {
        thread.cancel_run();
      } else if (kind == 3 && msgs.back()->role == Role::Assistant) {
        const Id id = msgs.back()->id;
        pending.push_back(thread.reload(id));
      } else if (kind < 7 && msgs.back()->role == Role::Assistant) {
        const auto last = msgs.back();
        for (const auto& part : last->content) {
          const auto* c = part.get_if<ToolCallPart>();
          if (!c || c->result) continue;
          if (c->approval && c->approval->pending()) {
            ToolApprovalResponse response{c->approval->id, rng() % 4 != 0};
            response.always = rng() % 10 == 0;
            thread.respond_to_tool_approval(response);
            ++decisions;
            break;
          }
          if (!c->approval && c->tool_name == "ask") {
            thread.add_tool_result({last->id, c->tool_call_id, c->tool_name, Json(op)});
            break;
          }
        }
      } else if (kind == 7) {
        thread.set_tool_approval_policy("deploy", std::nullopt);
      }
      loop.run_pending();
    } catch (const Error& e) {
      // Deciding while a roundtrip is in flight or after the message moved on is refused, as the
      // spec says; anything else is a bug.
      const auto k = e.kind();
      if (k != ErrorKind::RunInProgress && k != ErrorKind::NotPaused) {
        ADD_FAILURE() << "operation " << op << " failed: " << e.what();
      }
    }
  }
  thread.cancel_run();
  for (const auto& c : pending) loop.run_until(c);
  loop.run_until([&] { return !thread.is_run_in_progress(); });

  EXPECT_GT(decisions, 0);
  for (const auto& m : thread.messages())
    EXPECT_NE(m->status.type, StatusType::Running) << to_json(*m).dump();
  EXPECT_EQ(ids(thread.messages()), branch_by_parent_links(thread));
  std::lock_guard lock(mutex);
  EXPECT_FALSE(finished_runs.empty());
  for (const auto& [id, runs] : finished_runs) EXPECT_EQ(runs, 1) << id;
}

// Races sends through the message queue against cancels, regenerates and queue edits: every
// queued message goes out at most once, and the queue drains when nothing cancels it.
TEST(RuntimeStress, QueuedSendsRaceCancelsAndRegenerates) {
  auto pool = std::make_shared<WorkerPool>();
  ThreadRuntimeOptions options;
  options.executor = pool;
  options.enable_message_queue = true;
  options.queue_clear_on_cancel = false;
  options.chat_model = [](const ChatModelRunOptions& o, RunResultSink& sink) {
    Text text;
    for (int i = 0; i < 50 && !o.stop_token.stop_requested(); ++i) {
      text += "word ";
      sink.yield(ChatModelRunResult::text(text));
    }
  };
  LocalRuntime rt(std::move(options));
  auto& thread = rt.thread();
  auto& loop = *rt.event_loop();
  std::mt19937 rng(20261127);
  int sent = 0;
  for (int op = 0; op < 1500; ++op) {
    const int kind = static_cast<int>(rng() % 10);
    try {
      if (kind < 4) {
        AppendMessage m = AppendMessage::user("q" + std::to_string(sent++));
        if (rng() % 3 == 0) m.steer = rng() % 2 == 0;
        thread.append(std::move(m));
      } else if (kind == 4) {
        thread.cancel_run();
      } else if (kind == 5 && !thread.messages().empty() &&
                 thread.messages().back()->role == Role::Assistant) {
        const Id id = thread.messages().back()->id;
        thread.reload(id);
      } else if (kind == 6 && thread.queue() && !thread.queue()->empty()) {
        const auto items = thread.queue()->items();
        const auto& item = items[rng() % items.size()];
        if (rng() % 2) {
          thread.queue()->remove(item.id);
        } else {
          thread.queue()->move(item.id, QueueMove::to_front());
        }
      }
      loop.run_pending();
    } catch (const Error& e) {
      ADD_FAILURE() << "operation " << op << " failed: " << e.what();
    }
  }
  // Un-pause with one last send, then let everything drain.
  thread.append("last");
  // The state only changes inside owner tasks, and run_until checks after each one. (A predicate
  // that itself runs tasks can consume the last one and then wait for a task that never comes.)
  loop.run_until([&] {
    return thread.queue()->empty() && !thread.is_running() && !thread.is_run_in_progress();
  });
  while (loop.run_pending() > 0) {
  }
  for (const auto& m : thread.messages()) EXPECT_NE(m->status.type, StatusType::Running);
  EXPECT_EQ(ids(thread.messages()), branch_by_parent_links(thread));
  // No queued message was sent twice.
  std::map<std::string, int> seen;
  for (const auto& m : thread.messages()) {
    if (m->role == Role::User) {
      EXPECT_EQ(++seen[m->text()], 1) << m->text();
    }
  }
  EXPECT_EQ(thread.messages().back()->role, Role::Assistant);
}

}  // namespace
