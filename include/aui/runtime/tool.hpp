#pragma once
// Tools (spec §7.2): what the model may call, and — for tools the application runs itself — the
// function that runs them. A Toolkit is a named map of tools, registered as one model context
// provider:
//
//     aui::Toolkit tools{
//       {"get_weather", {.description = "Current weather in a city",
//                        .parameters = {{"type", "object"},
//                                       {"properties", {{"city", {{"type", "string"}}}}},
//                                       {"required", {"city"}}},
//                        .execute = [](const aui::Json& args) {
//                          return "Sunny in " + args["city"].get<std::string>();
//                        }}},
//     };
//     auto registration = thread.register_tools(tools);

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "aui/model/json.hpp"

namespace aui {

/// What a tool's execute function gets besides its arguments.
struct ToolInvocation {
  std::string tool_call_id{};
  std::string tool_name{};
  /// Fires when the run is cancelled; a long tool should stop and return (or throw
  /// aui::Cancelled). Its result is then replaced by the "cancelled" error result.
  std::stop_token stop_token{};
};

/// A tool's answer. A plain JSON value converts to one (a successful result).
struct ToolOutput {
  ToolOutput() = default;
  ToolOutput(Json value) : result(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  /// An error result the model sees (is_error = true).
  static ToolOutput error(Json value) {
    ToolOutput out(std::move(value));
    out.is_error = true;
    return out;
  }

  Json result{};
  bool is_error = false;
  std::optional<Json> artifact{};  // shown to the user, not sent to the model
  Json model_content{};            // what the model sees instead of `result`, or null
};

/// The function that runs a tool: any callable taking (const Json& args, const ToolInvocation&)
/// or just (const Json& args), and returning a ToolOutput, something a Json can be made of, or
/// nothing (the result is then "<no result>"). It runs on a worker thread and may block.
/// Copies share the callable; two Tools are equal only if they share it.
class ToolExecute {
 public:
  using Fn = std::function<ToolOutput(const Json&, const ToolInvocation&)>;

  ToolExecute() = default;
  template <class F>
  requires(!std::is_same_v<std::decay_t<F>, ToolExecute>) &&
      (std::is_invocable_v<F&, const Json&, const ToolInvocation&> ||
       std::is_invocable_v<F&, const Json&>)
          ToolExecute(F f)  // NOLINT(google-explicit-constructor): a lambda is an execute function
      : fn_(std::make_shared<const Fn>(wrap(std::move(f)))) {}

  explicit operator bool() const noexcept { return fn_ != nullptr; }
  ToolOutput operator()(const Json& args, const ToolInvocation& invocation) const {
    return (*fn_)(args, invocation);
  }
  friend bool operator==(const ToolExecute& a, const ToolExecute& b) noexcept {
    return a.fn_ == b.fn_;
  }

 private:
  template <class F>
  static Fn wrap(F f) {
    return [f = std::move(f)](const Json& args,
                              const ToolInvocation& invocation) mutable -> ToolOutput {
      if constexpr (std::is_invocable_v<F&, const Json&, const ToolInvocation&>) {
        return finish(f, args, invocation);
      } else {
        return finish(f, args);
      }
    };
  }
  template <class F, class... A>
  static ToolOutput finish(F& f, A&&... a) {
    using R = std::invoke_result_t<F&, A...>;
    if constexpr (std::is_void_v<R>) {
      std::invoke(f, std::forward<A>(a)...);
      return ToolOutput(Json("<no result>"));
    } else if constexpr (std::is_convertible_v<R, ToolOutput>) {
      return ToolOutput(std::invoke(f, std::forward<A>(a)...));
    } else {
      return ToolOutput(Json(std::invoke(f, std::forward<A>(a)...)));
    }
  }

  std::shared_ptr<const Fn> fn_;
};

/// A tool the model may call. Tools with an `execute` are run by aui (execute_tool_calls);
/// the others are answered by a person (human tools, spec §7.4) or by the backend.
struct Tool {
  std::string description{};
  Json parameters{};   // JSON Schema of the arguments, or null
  std::string type{};  // "" | "frontend" | "backend" | "human" | "provider"
  std::optional<bool> disabled{};
  /// When a provider of equal priority defines the same name: replace instead of failing
  /// DuplicateTool. Stripped from the merged context.
  bool overwrite = false;
  ToolExecute execute{};
  /// Ask a person before running it: execute_tool_calls puts an approval gate on each call
  /// instead of running it, the run pauses, and once the gate is approved aui runs the tool
  /// (a denial becomes the error result the model sees, spec §7.5).
  bool needs_approval = false;
  friend bool operator==(const Tool&, const Tool&) = default;
};

/// A named map of tools (the seed's defineToolkit).
using Toolkit = std::map<std::string, Tool>;

/// The names of the toolkit's tools of type "human" — what ThreadRuntimeOptions::
/// human_tool_names wants (spec §7.4).
inline std::vector<std::string> human_tool_names(const Toolkit& tools) {
  std::vector<std::string> names;
  for (const auto& [name, tool] : tools) {
    if (tool.type == "human") names.push_back(name);
  }
  return names;
}

}  // namespace aui
