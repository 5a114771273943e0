#pragma once
// Running the application's tools for an adapter (issue 3, after spec §7.8): one call executes
// the tool calls the model asked for and fills in their results.
//
//     void run(const aui::ChatModelRunOptions& o, aui::RunResultSink& sink) {
//       aui::Content content = ask_the_model(o);           // text + tool-call parts
//       content = aui::execute_tool_calls(o, std::move(content), &sink);
//       auto r = aui::ChatModelRunResult{.content = std::move(content)};
//       r.status = aui::MessageStatus::requires_action(aui::StatusReason::ToolCalls);
//       sink.yield(std::move(r));                          // the runtime calls again with results
//     }

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "aui/adapters/chat_model_adapter.hpp"
#include "aui/model/message.hpp"
#include "aui/runtime/tool.hpp"

namespace aui {

/// What the tools of one thread produced, by tool call id, so that a tool runs exactly once per
/// call: a later roundtrip, a resume or a regenerate that meets the same call id gets the
/// recorded output instead of running the tool again. Thread-safe; the runtime gives every
/// adapter call its thread's ledger (ChatModelRunOptions::tool_ledger).
class ToolCallLedger {
 public:
  /// Either the recorded output of `tool_call_id`, or the right to run it (`claimed` = true;
  /// the caller must then call record()). Waits while another thread runs the same call; gives
  /// up (nullopt, not claimed) when `stop` fires first.
  struct Claim {
    bool claimed = false;
    std::optional<ToolOutput> output{};
  };
  Claim claim(const std::string& tool_call_id, std::stop_token stop);
  /// Records the output of a claimed call and wakes those waiting for it. A call the tool did
  /// not finish (cancelled before or by throwing aui::Cancelled) records nothing (`output`
  /// empty): it may run again later.
  void record(const std::string& tool_call_id, std::optional<ToolOutput> output);
  /// The recorded output, if any.
  std::optional<ToolOutput> find(const std::string& tool_call_id) const;

 private:
  struct Entry {
    bool running = false;
    std::optional<ToolOutput> output{};
  };
  mutable std::mutex mutex_;
  std::condition_variable_any changed_;
  std::map<std::string, Entry> entries_;
};

/// The result a cancelled tool call gets (spec §7.8).
inline constexpr const char* kToolCancelledResult = "Tool execution was cancelled.";

/// Executes every tool-call part of `content` that has no result yet and whose tool (in
/// `options.context.tools`, not disabled) has an execute function, one after another in order,
/// on the calling thread; returns `content` with their results filled in. Calls of other tools
/// (human, backend, unknown) stay unresolved.
///
///  * The arguments are checked against the tool's schema first; a mismatch, or arguments that
///    are not JSON, becomes an error result naming the field and the reason — the model sees it.
///  * A tool that throws gives an error result with the exception's message.
///  * When the run is cancelled before or while a tool runs: the error result
///    "Tool execution was cancelled." (a tool that still finished has its answer remembered,
///    so it does not run again for that call).
///  * A call of a tool that `needs_approval` gets a pending approval gate (id "approval-" + the
///    call id) instead of running; a gated call runs only once its gate is approved.
///  * A call id the thread's ledger already knows gets the recorded output; the tool does not
///    run again.
///
/// With a `sink`, each result is yielded (content only) as it lands, so the user sees progress.
Content execute_tool_calls(const ChatModelRunOptions& options, Content content,
                           RunResultSink* sink = nullptr);

/// True when `content` has a tool-call part without a result.
bool has_unresolved_tool_calls(const Content& content);

/// True when `content` has an approved call without a result whose tool (in `tools`) aui runs.
/// The runtime runs such calls itself before it calls the adapter again.
bool has_approved_tool_calls_to_run(const Content& content,
                                    const std::map<std::string, Tool>& tools);

}  // namespace aui
