#pragma once
// ChatModelAdapter: the one run function an application supplies (spec §6.3).

#include <concepts>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "aui/model/message.hpp"
#include "aui/runtime/model_context.hpp"
#include "aui/support/errors.hpp"
#include "aui/support/generator.hpp"
#include "aui/tree/message_repository.hpp"

namespace aui {

class ToolCallLedger;

/// What the adapter receives for one call (spec §6.3 ChatModelRunOptions). Valid for the whole
/// call, including the life of a returned Generator.
struct ChatModelRunOptions {
  /// The branch root → parent of the message being built (never that message itself).
  MessageList messages{};
  RunConfig run_config{};
  /// Fires when the run is cancelled, superseded or detached. Stop promptly; throwing
  /// aui::Cancelled (or returning) are both fine.
  std::stop_token stop_token{};
  ModelContext context{};
  Id assistant_message_id{};               // unstable_assistantMessageId
  std::optional<std::string> thread_id{};  // unstable_threadId: the remote thread id, if any
  std::optional<Id> parent_id{};           // unstable_parentId
  /// The sourceId of the run (spec §5.2), which upstream passes along and never reads: the
  /// message this turn replaces — the edited message for a send from an edit, the regenerated
  /// reply for reload() — or nullopt. Like run_config it is the thread's last one: continuations
  /// after a tool result or an approval keep it. (Not in upstream's options: a native addition.)
  std::optional<Id> source_id{};
  /// unstable_getMessage: the message as merged so far. Safe to call from the adapter's thread.
  std::function<MessagePtr()> get_message;
  /// The thread's record of executed tool calls, which execute_tool_calls() consults so a tool
  /// runs once per call id (tool_execution.hpp). Null outside a thread runtime.
  std::shared_ptr<ToolCallLedger> tool_ledger{};
};

/// Metadata an adapter may report (spec §6.3 ChatModelRunResult.metadata). Each field merges as
/// spec §6.4 says: lists append to what the message had before this call, custom overlays,
/// state and timing replace.
struct RunResultMetadata {
  std::optional<Json> unstable_state{};
  std::optional<std::vector<Json>> unstable_annotations{};
  std::optional<std::vector<Json>> unstable_data{};
  std::optional<std::vector<ThreadStep>> steps{};
  std::optional<Json> timing{};
  std::optional<Json> custom{};  // object
};

/// One result: the whole answer of this call so far (cumulative), not a delta.
struct ChatModelRunResult {
  std::optional<Content> content{};
  std::optional<MessageStatus> status{};
  std::optional<RunResultMetadata> metadata{};

  /// A result whose content is one text part. Cheap: the Text is shared, not copied.
  static ChatModelRunResult text(Text text) {
    ChatModelRunResult r;
    r.content.emplace();
    r.content->reserve(1);
    r.content->emplace_back(TextPart{std::move(text)});
    return r;
  }
};

/// Where a streaming adapter yields its cumulative results.
///
/// One producer: a sink belongs to one call of the adapter, and yield() must not be called from
/// two threads at once. An adapter may hand the sink from thread to thread (e.g. yield from a
/// network callback), as long as one yield() returns before the next begins. Debug and
/// sanitizer builds check this and stop the program with a message when two yields overlap.
class RunResultSink {
 public:
  virtual ~RunResultSink() = default;
  /// Publishes the answer so far; it replaces what this call yielded before. Cheap: if the owner
  /// has not applied the previous result yet, the new one takes its place (no backlog), keeping
  /// the fields it leaves out, so the message ends as if each had been applied. After the
  /// run was cancelled this throws an internal stream-closed signal that ends the call; let it
  /// propagate.
  virtual void yield(ChatModelRunResult result) = 0;
  /// The call's stop token (same as ChatModelRunOptions::stop_token).
  virtual std::stop_token stop_token() const = 0;
};

/// The chat model adapter: one callable in one of three forms, all of which a lambda satisfies.
///
///  * plain:     ChatModelRunResult(const ChatModelRunOptions&)
///  * streaming: void(const ChatModelRunOptions&, RunResultSink&)        — call sink.yield(...)
///  * coroutine: Generator<ChatModelRunResult>(const ChatModelRunOptions&) — co_yield results
///
/// It runs on a worker thread and may block. An exception becomes an `incomplete/error` message
/// carrying its text; aui::Cancelled (or any exception once the stop token fired and the
/// adapter threw aui::Cancelled) becomes `incomplete/cancelled`.
class ChatModelAdapter {
 public:
  enum class Form { Plain, Streaming, Coroutine };
  using PlainFn = std::function<ChatModelRunResult(const ChatModelRunOptions&)>;
  using StreamingFn = std::function<void(const ChatModelRunOptions&, RunResultSink&)>;
  using CoroutineFn = std::function<Generator<ChatModelRunResult>(const ChatModelRunOptions&)>;

  ChatModelAdapter() = default;

  template <class F>
  requires std::is_invocable_r_v<ChatModelRunResult, F&, const ChatModelRunOptions&> &&
      (!std::is_same_v<std::invoke_result_t<F&, const ChatModelRunOptions&>,
                       Generator<ChatModelRunResult>>)
          ChatModelAdapter(F f)  // NOLINT(google-explicit-constructor): a lambda is an adapter
      : form_(Form::Plain), plain_(std::make_shared<PlainFn>(std::move(f))) {}

  template <class F>
  requires std::is_invocable_v<F&, const ChatModelRunOptions&, RunResultSink&> ChatModelAdapter(
      F f)  // NOLINT(google-explicit-constructor)
      : form_(Form::Streaming), streaming_(std::make_shared<StreamingFn>(std::move(f))) {}

  template <class F>
  requires std::is_same_v<std::invoke_result_t<F&, const ChatModelRunOptions&>,
                          Generator<ChatModelRunResult>>
  ChatModelAdapter(F f)  // NOLINT(google-explicit-constructor)
      : form_(Form::Coroutine), coroutine_(std::make_shared<CoroutineFn>(std::move(f))) {}

  explicit operator bool() const noexcept { return plain_ || streaming_ || coroutine_; }
  Form form() const noexcept { return form_; }
  const PlainFn& plain() const { return *plain_; }
  const StreamingFn& streaming() const { return *streaming_; }
  const CoroutineFn& coroutine() const { return *coroutine_; }

 private:
  Form form_ = Form::Plain;
  std::shared_ptr<PlainFn> plain_;
  std::shared_ptr<StreamingFn> streaming_;
  std::shared_ptr<CoroutineFn> coroutine_;
};

}  // namespace aui
