// Tool calls (spec §5.10, §5.11, §6.8, §7.5): results supplied by a person or the host, decisions
// on approval gates, standing ("always") decisions, and the runs they resume.

#include "runtime/thread_runtime_impl.hpp"

#include <algorithm>

namespace aui {

using detail::Channel;
using detail::ChannelSink;
using detail::copy_with_content;
using detail::copy_with_status;
using detail::is_abort_kind;
using detail::LiveMessage;
using detail::make_error;
using detail::quote_id;
using detail::set_tool_result;
using detail::SuggestionJob;

namespace {

// Records a decision on a gate (spec §7.5): a denial also becomes the error result the model sees.
void decide_gate(ToolCallPart& call, bool approved, const std::optional<std::string>& option_id,
                 const std::optional<std::string>& reason, bool automatic) {
  Approval& decided = call.approval.edit();
  decided.approved = approved;
  if (option_id) decided.option_id = option_id;
  if (reason) decided.reason = reason;
  if (automatic) decided.is_automatic = true;
  if (!approved) {
    const std::string why = reason && !reason->empty() ? *reason : "Tool approval denied";
    call.result = Json{{"error", why}};
    call.is_error = true;
  }
}

}  // namespace

bool ThreadRuntime::Impl::should_continue(const ThreadMessage& m) const {
  if (!m.status.is(StatusType::RequiresAction, StatusReason::ToolCalls)) return false;
  const auto& human = options_.human_tool_names;
  for (const auto& part : m.content) {
    const auto* call = part.get_if<ToolCallPart>();
    if (!call) continue;
    const bool has_approval = call->approval.has_value();
    if (!call->result && has_approval && call->approval->pending()) return false;
    if (call->result || has_approval) continue;
    if (!human) return false;  // legacy mode: any unresolved call pauses
    if (std::find(human->begin(), human->end(), call->tool_name) != human->end()) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Tool results and approval decisions (spec §5.10, §5.11, §6.8)

void ThreadRuntime::Impl::replace_message(const MessageLocation& loc, MessagePtr next) {
  // A write that changes content or status takes the message from any roundtrip still writing
  // it: that roundtrip's later updates are dropped (spec §6.1).
  repository_.add_or_update(loc.parent_id, std::move(next));
  notify();
}

void ThreadRuntime::Impl::continue_run(const Id& message_id) {
  auto loc = repository_.get(message_id);
  auto run = std::make_shared<Run>();
  run->parent_id = loc.parent_id;
  run->message = loc.message;
  run->run_config = last_run_config_;
  run->source_id = last_source_id_;
  run->started_paused = loc.message->status.type == StatusType::RequiresAction;
  // Nobody awaits a continuation: its errors are recorded on the message (spec §6.8).
  run_loop(std::move(run));
}

void ThreadRuntime::Impl::add_tool_result(ToolResult input) {
  Id message_id = input.message_id;
  if (message_id.empty()) {
    const auto& msgs = messages();
    for (std::size_t i = msgs.size(); i-- > 0 && message_id.empty();) {
      for (const auto& part : msgs[i]->content) {
        const auto* call = part.get_if<ToolCallPart>();
        if (call && call->tool_call_id == input.tool_call_id) {
          message_id = msgs[i]->id;
          break;
        }
      }
    }
    if (message_id.empty()) {
      throw Error(ErrorKind::ToolCallNotFound,
                  "no message on the current branch has tool call " + quote_id(input.tool_call_id));
    }
  }
  auto loc = repository_.get(message_id);  // MessageNotFound
  if (loc.message->role != Role::Assistant) {
    throw Error(ErrorKind::NotAssistant,
                "tool results go on assistant messages; " + quote_id(message_id) + " is not one");
  }
  auto next = std::make_shared<ThreadMessage>(*loc.message);
  bool found = false;
  bool added = false;
  for (auto& part : next->content) {
    const auto* call = part.get_if<ToolCallPart>();
    if (!call || call->tool_call_id != input.tool_call_id) continue;
    found = true;
    auto& edit = part.edit<ToolCallPart>();
    if (!edit.result) added = true;
    set_tool_result(edit, input);
  }
  if (!found) {
    throw Error(
        ErrorKind::ToolCallNotFound,
        "message " + quote_id(message_id) + " has no tool call " + quote_id(input.tool_call_id));
  }
  const bool resumes = added && should_continue(*next);
  if (!resumes && next->status.type == StatusType::Running) {
    // A result for a message that is still streaming (a human answering a call while the reply
    // goes on) joins the roundtrip writing it instead of taking the message from it: otherwise
    // the roundtrip's later writes, its final status included, would be dropped and the message
    // would stay `running` for good (the ownership quirk of spec §6.7). A message already
    // showing its pause is taken over as the spec says (S-110).
    for (auto& rt : live_roundtrips_) {
      if (rt->lost || rt->last_written.get() != loc.message.get()) continue;
      rt->supplied_results.push_back(input);
      rt->last_written = next;
      rt->message = next;
      rt->live->set(next);
    }
  }
  replace_message(loc, next);
  if (resumes) {
    continue_run(message_id);
  } else if (added && next->status.type == StatusType::RequiresAction) {
    write_partial_decision(repository_.get(message_id));
  }
}

void ThreadRuntime::Impl::respond_to_tool_approval(ToolApprovalResponse response) {
  // 1. The last assistant message on the current branch holding the gate.
  const auto& msgs = messages();
  MessagePtr holder;
  for (std::size_t i = msgs.size(); i-- > 0 && !holder;) {
    if (msgs[i]->role != Role::Assistant) continue;
    for (const auto& part : msgs[i]->content) {
      const auto* call = part.get_if<ToolCallPart>();
      if (call && call->approval && call->approval->id == response.approval_id) {
        holder = msgs[i];
        break;
      }
    }
  }
  if (!holder)
    throw Error(ErrorKind::ApprovalNotFound, "no approval " + quote_id(response.approval_id));
  // 2.–4.
  if (!live_roundtrips_.empty()) {
    throw Error(ErrorKind::RunInProgress,
                "an approval cannot be decided while a run is in progress");
  }
  if (holder->status.type != StatusType::RequiresAction) {
    throw Error(ErrorKind::NotPaused,
                "message " + quote_id(holder->id) + " is not waiting for a decision");
  }
  auto next = std::make_shared<ThreadMessage>(*holder);
  std::optional<std::string> always_tool;
  bool always_approved = false;
  for (auto& part : next->content) {
    const auto* call = part.get_if<ToolCallPart>();
    if (!call || !call->approval || call->approval->id != response.approval_id) continue;
    const Approval& gate = *call->approval;
    if (gate.resolution)
      throw Error(ErrorKind::ApprovalTerminated, "approval " + quote_id(gate.id) + " has ended");
    if (gate.approved) {
      throw Error(ErrorKind::ApprovalAlreadyDecided,
                  "approval " + quote_id(gate.id) + " was already decided");
    }
    bool approved = false;
    bool always = response.always;
    if (response.option_id && !response.approved) {
      const ApprovalOption* option = nullptr;
      if (gate.options) {
        for (const auto& o : *gate.options) {
          if (o.id == *response.option_id) option = &o;
        }
      }
      if (!option)
        throw Error(ErrorKind::InvalidArgument,
                    "unknown approval option " + quote_id(*response.option_id));
      if (option->kind == "allow-once" || option->kind == "allow-always") {
        approved = true;
      } else if (option->kind == "reject-once" || option->kind == "reject-always") {
        approved = false;
      } else {
        throw Error(ErrorKind::InvalidArgument, "option " + quote_id(option->id) +
                                                    " has a custom kind; say whether it approves");
      }
      always = always || option->kind == "allow-always" || option->kind == "reject-always";
    } else if (response.approved) {
      approved = *response.approved;
    } else {
      throw Error(ErrorKind::InvalidArgument,
                  "an approval response needs `approved` or an option id");
    }
    decide_gate(part.edit<ToolCallPart>(), approved, response.option_id, response.reason, false);
    if (always) {
      always_tool = call->tool_name;
      always_approved = approved;
    }
  }
  if (always_tool) {
    // The standing decision also settles the other open gates of that tool in this message.
    approval_policy_[*always_tool] = always_approved;
    if (MessagePtr rest = apply_approval_policy(next))
      next = std::const_pointer_cast<ThreadMessage>(rest);
  }
  auto loc = repository_.get(holder->id);
  replace_message(loc, next);
  emit(ThreadEvent::ToolApprovalAnswered);
  const auto& branch = messages();
  const bool is_head = !branch.empty() && branch.back()->id == next->id;
  if (is_head && should_continue(*next)) {
    continue_run(next->id);
  } else {
    write_partial_decision(repository_.get(next->id));
  }
}

std::optional<bool> ThreadRuntime::Impl::tool_approval_policy(const std::string& tool_name) const {
  auto it = approval_policy_.find(tool_name);
  if (it == approval_policy_.end()) return std::nullopt;
  return it->second;
}

void ThreadRuntime::Impl::set_tool_approval_policy(const std::string& tool_name,
                                                   std::optional<bool> approved) {
  if (approved) {
    approval_policy_[tool_name] = *approved;
  } else {
    approval_policy_.erase(tool_name);
  }
}

MessagePtr ThreadRuntime::Impl::apply_approval_policy(const MessagePtr& message) const {
  if (!message || message->status.type != StatusType::RequiresAction) return nullptr;
  std::shared_ptr<ThreadMessage> next;
  for (std::size_t i = 0; i < message->content.size(); ++i) {
    const auto* call = message->content[i].get_if<ToolCallPart>();
    if (!call || call->result || !call->approval || !call->approval->pending()) continue;
    auto policy = approval_policy_.find(call->tool_name);
    if (policy == approval_policy_.end()) continue;
    if (!next) next = std::make_shared<ThreadMessage>(*message);
    decide_gate(next->content[i].edit<ToolCallPart>(), policy->second, std::nullopt, std::nullopt,
                true);
  }
  return next;
}

void ThreadRuntime::resume_tool_call() {
  impl_->owner_.check("ThreadRuntime::resume_tool_call");
  throw Error(
      ErrorKind::Unsupported,
      "resumeToolCall is not supported by LocalRuntime; use a human tool and addToolResult");
}

}  // namespace aui
