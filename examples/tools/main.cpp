// Tools in C++: the seed's tool examples with aui's offline demo adapter.
//
//  1. a toolkit with getWeather, run by aui when the model calls it
//  2. a custom streaming adapter that streams a tool call's arguments, then lets aui run it
//  3. send_email as a human tool: the run pauses until a person answers
//  4. an approval gate: the run pauses until a person allows (or denies) the call
//
// It checks each outcome and exits with 1 if one is wrong, so CI runs it as a test.

#include <cstdlib>
#include <iostream>
#include <string>

#include "aui/demo/demo_adapter.hpp"
#include "aui/local_runtime.hpp"
#include "aui/runtime/tool_execution.hpp"

namespace {

int failures = 0;

void expect(bool ok, const std::string& what) {
  std::cout << (ok ? "  ok: " : "  FAILED: ") << what << '\n';
  if (!ok) ++failures;
}

void print(const aui::ThreadMessage& m) {
  for (const auto& part : m.content) {
    if (const auto* t = part.get_if<aui::TextPart>()) std::cout << "  " << t->text.view() << '\n';
    if (const auto* c = part.get_if<aui::ToolCallPart>()) {
      std::cout << "  [tool] " << c->tool_name << ' ' << c->args.dump();
      if (c->result) std::cout << " = " << c->result->dump();
      std::cout << '\n';
    }
  }
}

// The seed's getWeather, in C++: a name, a description, a JSON Schema and an execute function.
aui::Toolkit weather_toolkit() {
  return {
      {"get_weather",
       {.description = "Get the current weather in a city.",
        .parameters = {{"type", "object"},
                       {"properties", {{"city", {{"type", "string"}}}}},
                       {"required", {"city"}}},
        .execute =
            [](const aui::Json& args) {
              return aui::Json{{"city", args["city"]},
                               {"temperature", 21},
                               {"unit", "°C"},
                               {"conditions", "sunny"}};
            }}},
  };
}

aui::ChatModelAdapter demo() { return aui::make_demo_adapter({std::chrono::milliseconds(0), 8}); }

void example_weather() {
  std::cout << "1. getWeather toolkit\n";
  aui::LocalRuntime rt(demo());
  auto tools = rt.thread().register_tools(weather_toolkit());
  rt.wait(rt.thread().append("What is the weather in Paris?"));
  const auto& reply = *rt.thread().messages().back();
  print(reply);
  expect(reply.content.at(1).as<aui::ToolCallPart>().result->at("conditions") == "sunny",
         "the tool ran");
  expect(reply.text().find("In Paris it is 21°C and sunny") != std::string::npos,
         "the reply uses its result");
}

// A streaming adapter of your own: it streams the call's arguments as a model would, then one
// call runs the tool; the runtime calls again and the adapter answers from the result.
void example_streaming_tool_call() {
  std::cout << "2. streaming tool call\n";
  aui::LocalRuntime rt([](const aui::ChatModelRunOptions& o, aui::RunResultSink& sink) {
    const auto so_far = o.get_message()->content;
    if (!so_far.empty()) {  // called again: the result is in the message
      const auto& call = so_far.at(0).as<aui::ToolCallPart>();
      sink.yield(aui::ChatModelRunResult::text(
          "It is " + call.result->at("conditions").get<std::string>() + "."));
      return;
    }
    const std::string args = R"({"city": "Rome"})";
    aui::ToolCallPart call{.tool_call_id = "call-1", .tool_name = "get_weather"};
    for (std::size_t n = 4; n <= args.size(); n += 4) {
      call.args_text = aui::Text(args.substr(0, n));
      call.args = aui::parse_partial_json(call.args_text.view());
      sink.yield({.content = aui::Content{call}});
    }
    call.args_text = aui::Text(args);
    call.args = aui::Json::parse(args);
    aui::ChatModelRunResult done{.content = aui::execute_tool_calls(o, {call}, &sink)};
    done.status = aui::MessageStatus::requires_action(aui::StatusReason::ToolCalls);
    sink.yield(std::move(done));
  });
  auto tools = rt.thread().register_tools(weather_toolkit());
  rt.wait(rt.thread().append("weather in Rome?"));
  const auto& reply = *rt.thread().messages().back();
  print(reply);
  expect(reply.text() == "It is sunny.", "streamed, executed, answered");
}

void example_human_tool() {
  std::cout << "3. send_email as a human tool\n";
  aui::Toolkit tools{
      {"send_email",
       {.description = "Send an email; a person confirms it.",
        .parameters = {{"type", "object"}, {"properties", {{"to", {{"type", "string"}}}}}},
        .type = "human"}},
  };
  aui::ThreadRuntimeOptions options;
  options.chat_model = demo();
  options.human_tool_names = aui::human_tool_names(tools);
  aui::LocalRuntime rt(std::move(options));
  auto registration = rt.thread().register_tools(tools);
  rt.wait(rt.thread().append("Please send an email to ada@example.com"));
  auto paused = rt.thread().messages().back();
  expect(paused->status.type == aui::StatusType::RequiresAction, "the run pauses for the person");
  const auto& call = paused->content.at(1).as<aui::ToolCallPart>();
  std::cout << "  (the person answers " << call.tool_name << ")\n";
  rt.thread().add_tool_result(
      {paused->id, call.tool_call_id, call.tool_name, aui::Json{{"sent", true}}});
  rt.event_loop()->run_until([&] { return !rt.thread().is_run_in_progress(); });
  print(*rt.thread().messages().back());
  expect(rt.thread().messages().back()->status.type == aui::StatusType::Complete,
         "the run resumed and finished");
}

void example_approval_gate() {
  std::cout << "4. an approval gate\n";
  int deployed = 0;
  aui::Toolkit tools{
      {"deploy",
       {.description = "Deploy a service.",
        .parameters = {{"type", "object"},
                       {"properties",
                        {{"service", {{"type", "string"}}},
                         {"environment", {{"type", "string"}}}}}},
        .execute =
            [&](const aui::Json& args) {
              ++deployed;
              return aui::Json{{"service", args["service"]},
                               {"environment", args["environment"]},
                               {"version", "1.2.3"}};
            },
        .needs_approval = true}},
  };
  aui::LocalRuntime rt(demo());
  auto registration = rt.thread().register_tools(tools);
  rt.wait(rt.thread().append("deploy to staging"));
  auto paused = rt.thread().messages().back();
  const auto& call = paused->content.at(1).as<aui::ToolCallPart>();
  expect(call.approval && call.approval->pending() && deployed == 0,
         "nothing runs before the person decides");
  std::cout << "  (the person allows " << call.tool_name << ")\n";
  rt.thread().respond_to_tool_approval({call.approval->id, true});
  rt.event_loop()->run_until([&] { return !rt.thread().is_run_in_progress(); });
  print(*rt.thread().messages().back());
  expect(deployed == 1, "allowed: aui ran the tool once");
}

}  // namespace

int main() {
  example_weather();
  example_streaming_tool_call();
  example_human_tool();
  example_approval_gate();
  std::cout << (failures == 0 ? "all examples worked\n" : "some examples failed\n");
  return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
