// Executing registered tools for an adapter (tool_execution.hpp).

#include "aui/runtime/tool_execution.hpp"

#include "aui/runtime/json_schema.hpp"
#include "aui/support/errors.hpp"

namespace aui {

// ---------------------------------------------------------------------------------------------
// ToolCallLedger

ToolCallLedger::Claim ToolCallLedger::claim(const std::string& tool_call_id, std::stop_token stop) {
  std::unique_lock lock(mutex_);
  for (;;) {
    auto& entry = entries_[tool_call_id];
    if (entry.output) return Claim{false, entry.output};
    if (!entry.running) {
      entry.running = true;
      return Claim{true, std::nullopt};
    }
    // Another run (a superseded one, say) is executing this very call: its output is ours.
    if (!changed_.wait(lock, stop, [&] {
          const auto& e = entries_[tool_call_id];
          return e.output.has_value() || !e.running;
        })) {
      return Claim{};
    }
  }
}

void ToolCallLedger::record(const std::string& tool_call_id, std::optional<ToolOutput> output) {
  {
    std::lock_guard lock(mutex_);
    auto& entry = entries_[tool_call_id];
    entry.running = false;
    if (output) entry.output = std::move(output);
  }
  changed_.notify_all();
}

std::optional<ToolOutput> ToolCallLedger::find(const std::string& tool_call_id) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(tool_call_id);
  if (it == entries_.end()) return std::nullopt;
  return it->second.output;
}

// ---------------------------------------------------------------------------------------------
// execute_tool_calls

namespace {

ToolOutput cancelled_output() { return ToolOutput::error(Json(kToolCancelledResult)); }

// The arguments as the tool gets them, or the error result the model should see instead.
std::variant<Json, ToolOutput> arguments_of(const ToolCallPart& call, const Tool& tool) {
  Json args = call.args;
  if (!call.args_text.empty()) {
    try {
      args = Json::parse(call.args_text.view());
    } catch (const Json::exception&) {
      return ToolOutput::error(Json("Invalid arguments for tool \"" + call.tool_name +
                                    "\": the arguments are not valid JSON: " +
                                    std::string(call.args_text.view().substr(0, 200))));
    }
  }
  if (args.is_null()) args = Json::object();
  if (auto bad = validate_json(tool.parameters, args)) {
    return ToolOutput::error(
        Json("Invalid arguments for tool \"" + call.tool_name + "\": " + bad->describe()));
  }
  return args;
}

struct Outcome {
  ToolOutput shown;                  // what the call's part gets
  std::optional<ToolOutput> answer;  // what the tool answered, when it ran to the end
};

Outcome run_tool(const ToolCallPart& call, const Tool& tool, const std::stop_token& stop) {
  if (stop.stop_requested()) return {cancelled_output(), std::nullopt};
  auto args = arguments_of(call, tool);
  if (auto* error = std::get_if<ToolOutput>(&args)) return {*error, *error};
  ToolInvocation invocation{call.tool_call_id, call.tool_name, stop};
  try {
    ToolOutput out = tool.execute(std::get<Json>(args), invocation);
    // Cancelled meanwhile: the run reports the cancel, but what the tool did is remembered, so
    // it never runs twice for this call.
    if (stop.stop_requested()) return {cancelled_output(), out};
    return {out, out};
  } catch (const Cancelled&) {
    return {cancelled_output(), std::nullopt};
  } catch (const std::exception& e) {
    if (stop.stop_requested()) return {cancelled_output(), std::nullopt};
    ToolOutput failed = ToolOutput::error(Json(std::string(e.what())));
    return {failed, failed};
  } catch (...) {
    if (stop.stop_requested()) return {cancelled_output(), std::nullopt};
    ToolOutput failed = ToolOutput::error(Json("the tool failed with an unknown exception"));
    return {failed, failed};
  }
}

void fill(ToolCallPart& call, const ToolOutput& out) {
  call.result = out.result;
  call.is_error = out.is_error;
  if (out.artifact) call.artifact = out.artifact;
  if (!out.model_content.is_null()) call.model_content = out.model_content;
}

}  // namespace

Content execute_tool_calls(const ChatModelRunOptions& options, Content content,
                           RunResultSink* sink) {
  for (auto& part : content) {
    const auto* call = part.get_if<ToolCallPart>();
    if (!call || call->result) continue;
    const auto it = options.context.tools.find(call->tool_name);
    if (it == options.context.tools.end()) continue;
    const Tool& tool = it->second;
    if (!tool.execute || tool.disabled.value_or(false)) continue;
    if (call->approval) {
      if (!call->approval->approved.value_or(false)) continue;  // pending, denied or ended
    } else if (tool.needs_approval) {
      Approval gate;
      gate.id = "approval-" + call->tool_call_id;
      part.edit<ToolCallPart>().approval = gate;
      continue;
    }

    const std::string id = call->tool_call_id;
    ToolOutput out;
    if (options.tool_ledger && !id.empty()) {
      auto claim = options.tool_ledger->claim(id, options.stop_token);
      if (claim.output) {
        out = std::move(*claim.output);
      } else if (!claim.claimed) {
        out = cancelled_output();  // stopped while another run held the call
      } else {
        Outcome outcome = run_tool(*call, tool, options.stop_token);
        // A call the tool never finished is not an answer: a later run may execute it.
        options.tool_ledger->record(id, std::move(outcome.answer));
        out = std::move(outcome.shown);
      }
    } else {
      out = run_tool(*call, tool, options.stop_token).shown;
    }
    fill(part.edit<ToolCallPart>(), out);
    if (sink && !options.stop_token.stop_requested()) {
      ChatModelRunResult progress;
      progress.content = content;
      sink->yield(std::move(progress));
    }
  }
  return content;
}

bool has_approved_tool_calls_to_run(const Content& content,
                                    const std::map<std::string, Tool>& tools) {
  for (const auto& part : content) {
    const auto* call = part.get_if<ToolCallPart>();
    if (!call || call->result || !call->approval || !call->approval->approved.value_or(false))
      continue;
    auto it = tools.find(call->tool_name);
    if (it != tools.end() && it->second.execute && !it->second.disabled.value_or(false))
      return true;
  }
  return false;
}

bool has_unresolved_tool_calls(const Content& content) {
  for (const auto& part : content) {
    const auto* call = part.get_if<ToolCallPart>();
    if (call && !call->result) return true;
  }
  return false;
}

}  // namespace aui
