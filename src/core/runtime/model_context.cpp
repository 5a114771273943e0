// Merging model contexts from several providers (spec §7.2).

#include "aui/runtime/model_context.hpp"

#include <algorithm>
#include <sstream>

#include "aui/support/errors.hpp"

namespace aui {

namespace {

template <class T>
void overlay(std::optional<T>& into, const std::optional<T>& from) {
  if (from) into = from;
}

// Tool fields of `low` fill what `high` leaves unset; `high` wins where both are set.
Tool merge_tool(const Tool& high, const Tool& low) {
  Tool t = high;
  if (t.description.empty()) t.description = low.description;
  if (t.parameters.is_null()) t.parameters = low.parameters;
  if (t.type.empty()) t.type = low.type;
  if (!t.disabled) t.disabled = low.disabled;
  if (!t.execute) t.execute = low.execute;
  return t;
}

std::string priority_text(double p) {
  std::ostringstream os;
  os << p;
  return os.str();
}

}  // namespace

ModelContext merge_model_contexts(const std::vector<ModelContext>& contexts) {
  // Priority descending; equal priorities keep their registration order.
  std::vector<const ModelContext*> sorted;
  sorted.reserve(contexts.size());
  for (const auto& c : contexts) sorted.push_back(&c);
  std::stable_sort(sorted.begin(), sorted.end(), [](const ModelContext* a, const ModelContext* b) {
    return a->priority.value_or(0) > b->priority.value_or(0);
  });

  ModelContext out;
  std::map<std::string, double> tool_priority;
  for (const ModelContext* c : sorted) {
    const double priority = c->priority.value_or(0);
    if (!c->system.empty()) {
      if (!out.system.empty()) out.system += "\n\n";
      out.system += c->system;
    }
    for (const auto& [name, tool] : c->tools) {
      auto it = out.tools.find(name);
      if (it == out.tools.end()) {
        Tool t = tool;
        t.overwrite = false;
        out.tools.emplace(name, std::move(t));
        tool_priority[name] = priority;
        continue;
      }
      if (tool_priority[name] == priority) {
        Tool existing = it->second;
        Tool incoming = tool;
        incoming.overwrite = false;
        if (tool.overwrite) {
          it->second = std::move(incoming);
        } else if (!(existing == incoming)) {
          throw Error(
              ErrorKind::DuplicateTool,
              "tool \"" + name + "\" is defined twice at priority " + priority_text(priority));
        }
      } else {
        // Sorted by priority: the one already there has the higher priority.
        it->second = merge_tool(it->second, tool);
      }
    }
    // Key-wise merges in priority order, so a lower-priority provider's key overrides a higher
    // one's (upstream behaviour, reproduced as the spec says).
    const auto& s = c->call_settings;
    overlay(out.call_settings.max_tokens, s.max_tokens);
    overlay(out.call_settings.temperature, s.temperature);
    overlay(out.call_settings.top_p, s.top_p);
    overlay(out.call_settings.presence_penalty, s.presence_penalty);
    overlay(out.call_settings.frequency_penalty, s.frequency_penalty);
    overlay(out.call_settings.seed, s.seed);
    for (const auto& [k, v] : s.headers) out.call_settings.headers[k] = v;
    overlay(out.config.api_key, c->config.api_key);
    overlay(out.config.base_url, c->config.base_url);
    overlay(out.config.model_name, c->config.model_name);
    overlay(out.config.reasoning_effort, c->config.reasoning_effort);
    if (c->composer_metadata.is_object()) {
      if (!out.composer_metadata.is_object()) out.composer_metadata = Json::object();
      for (const auto& [k, v] : c->composer_metadata.items()) out.composer_metadata[k] = v;
    }
  }
  if (!sorted.empty() && sorted.front()->priority) out.priority = sorted.front()->priority;
  return out;
}

}  // namespace aui
