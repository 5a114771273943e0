// Every tool of the MCP servers in an `mcpServers` file, offered to a thread in two lines; then
// one tool call through the runtime, approved as a person would.
//
//     aui_example_mcp_tools mcp.json                          lists the servers and their tools
//     aui_example_mcp_tools mcp.json fs__list_directory '{"path": "/tmp"}'   also calls one
//
// The "model" here is a stand-in that asks for the tool named on the command line; a real
// adapter (aui::backends) asks for whatever the model wants, the same way.

#include <chrono>
#include <iostream>
#include <string>

#include "aui/local_runtime.hpp"
#include "aui/mcp/registry.hpp"
#include "aui/runtime/tool_execution.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " mcp.json [TOOL ARGS-JSON]\n";
    return 2;
  }
  const std::string tool = argc > 2 ? argv[2] : "";
  const aui::Json args = argc > 3 ? aui::Json::parse(argv[3]) : aui::Json::object();

  // The stand-in model: the first call asks for the tool, the second reports its answer.
  aui::LocalRuntime rt([&](const aui::ChatModelRunOptions& options) {
    const auto message = options.get_message();
    for (const auto& part : message->content) {
      if (const auto* call = part.get_if<aui::ToolCallPart>(); call && call->result)
        return aui::ChatModelRunResult::text("The tool answered: " + call->result->dump());
    }
    aui::ToolCallPart call;
    call.tool_call_id = "call_1";
    call.tool_name = tool;
    call.args = args;
    aui::ChatModelRunResult r;
    r.content.emplace();
    r.content->push_back(call);
    // Runs the tool, or (an MCP tool that is not trusted) puts an approval gate on it.
    r.content = aui::execute_tool_calls(options, std::move(*r.content));
    r.status = aui::MessageStatus::requires_action(aui::StatusReason::ToolCalls);
    return r;
  });

  // The two lines: start the servers of the file, offer their tools to the thread.
  auto mcp = aui::mcp::McpRegistry::from_config_file(argv[1]);
  auto registration = mcp->register_with(rt.thread());

  for (const auto& problem : mcp->problems())
    std::cout << "problem: " << problem.describe() << "\n";
  mcp->wait_settled(std::chrono::seconds(60));
  rt.event_loop()->run_pending();  // the thread hears that the tools changed
  for (const auto& server : mcp->servers()) {
    const auto status = server->status();
    std::cout << server->name() << ": " << aui::mcp::to_string(status.state)
              << (status.error.empty() ? "" : " — " + status.error) << "\n";
  }
  for (const auto& [name, t] : rt.thread().model_context().tools)
    std::cout << "  " << name << (t.needs_approval ? " (asks first)" : "") << "\n";
  if (tool.empty()) return 0;

  auto& thread = rt.thread();
  rt.wait(thread.append("please use " + tool));
  auto pending = thread.messages().back();
  for (const auto& part : pending->content) {
    const auto* call = part.get_if<aui::ToolCallPart>();
    if (call && call->approval && call->approval->pending()) {
      std::cout << "approving " << call->tool_name << " " << call->args.dump() << "\n";
      thread.respond_to_tool_approval({.approval_id = call->approval->id, .approved = true});
    }
  }
  rt.event_loop()->run_until([&] { return !thread.is_run_in_progress(); });
  const std::string answer = thread.messages().back()->text();
  std::cout << answer << "\n";
  return answer.rfind("The tool answered: ", 0) == 0 ? 0 : 1;
}
