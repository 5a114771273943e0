#pragma once
// Small readers shared by the stream decoders: lenient accessors over provider JSON, whose
// fields may be absent, null or of an unexpected type.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "aui/model/json.hpp"

namespace aui::stream_json {

/// The member `key` of `j` when `j` is an object that has it, else nullptr.
inline const Json* member(const Json& j, std::string_view key) {
  if (!j.is_object()) return nullptr;
  const auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

/// The string member `key`, or "" when absent or not a string.
inline std::string_view string_member(const Json& j, std::string_view key) {
  const Json* m = member(j, key);
  return m && m->is_string() ? std::string_view(m->get_ref<const std::string&>())
                             : std::string_view();
}

/// The non-negative integer member `key`, if there is one.
inline std::optional<std::size_t> index_member(const Json& j, std::string_view key) {
  const Json* m = member(j, key);
  if (!m) return std::nullopt;
  if (m->is_number_unsigned()) return m->get<std::size_t>();
  if (m->is_number_integer() && m->get<long long>() >= 0) {
    return static_cast<std::size_t>(m->get<long long>());
  }
  return std::nullopt;
}

/// The human-readable message of a provider error (an object, a string, or a wrapper object).
inline std::string error_message(const Json& error) {
  if (error.is_string()) return error.get<std::string>();
  if (const std::string_view message = string_member(error, "message"); !message.empty()) {
    return std::string(message);
  }
  if (const Json* inner = member(error, "error"); inner && !inner->is_null()) {
    return error_message(*inner);
  }
  return error.dump();
}

/// The machine-readable code of a provider error: its `code` (a number becomes its digits),
/// else its `type`, else "provider_error".
inline std::string error_code(const Json& error) {
  if (const Json* code = member(error, "code")) {
    if (code->is_string() && !code->get_ref<const std::string&>().empty()) {
      return code->get<std::string>();
    }
    if (code->is_number()) return code->dump();
  }
  if (const std::string_view type = string_member(error, "type");
      !type.empty() && type != "error") {
    return std::string(type);
  }
  if (const Json* inner = member(error, "error"); inner && !inner->is_null()) {
    return error_code(*inner);
  }
  return "provider_error";
}

/// An AssistantError (spec §2.10) for a provider error.
inline Json assistant_error(const Json& error) {
  return Json{{"code", error_code(error)}, {"message", error_message(error)}};
}

}  // namespace aui::stream_json
