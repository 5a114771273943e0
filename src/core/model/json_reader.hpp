#pragma once
// Reader: strict access to a JSON value that names the path of whatever is wrong, e.g.
// `messages[3].message.content[0].toolCallId: expected a string`.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "aui/model/json.hpp"
#include "aui/support/errors.hpp"

namespace aui::detail {

class Reader {
 public:
  Reader(const Json& value, std::string path, ErrorKind kind)
      : value_(value), path_(std::move(path)), kind_(kind) {}

  const Json& value() const noexcept { return value_; }
  ErrorKind kind() const noexcept { return kind_; }
  std::string path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }

  bool has(std::string_view key) const {
    require_object();
    return value_.find(key) != value_.end();
  }
  const Json& json(std::string_view key) const {
    require_object();
    auto it = value_.find(key);
    if (it == value_.end()) fail(key, "is required");
    return *it;
  }
  Json json_or(std::string_view key, Json fallback) const {
    return has(key) ? json(key) : std::move(fallback);
  }
  std::string string(std::string_view key) const {
    const Json& v = json(key);
    if (!v.is_string()) fail(key, "expected a string");
    return v.get<std::string>();
  }
  std::string string_or(std::string_view key, std::string fallback) const {
    if (!has(key) || json(key).is_null()) return fallback;
    return string(key);
  }
  bool boolean(std::string_view key) const {
    const Json& v = json(key);
    if (!v.is_boolean()) fail(key, "expected true or false");
    return v.get<bool>();
  }
  std::int64_t integer(std::string_view key) const {
    const Json& v = json(key);
    if (!v.is_number_integer() && !v.is_number_unsigned()) fail(key, "expected an integer");
    return v.get<std::int64_t>();
  }
  Reader object(std::string_view key) const {
    const Json& v = json(key);
    if (!v.is_object()) fail(key, "expected an object");
    return Reader(v, path(key), kind_);
  }
  void each(std::string_view key, const std::function<void(const Reader&)>& fn) const {
    const Json& v = json(key);
    if (!v.is_array()) fail(key, "expected an array");
    const std::string base = path(key);
    for (std::size_t i = 0; i < v.size(); ++i)
      fn(Reader(v[i], base + "[" + std::to_string(i) + "]", kind_));
  }
  std::string as_string() const {
    if (!value_.is_string()) throw Error(kind_, path_ + ": expected a string");
    return value_.get<std::string>();
  }
  [[noreturn]] void fail(std::string_view key, const std::string& message) const {
    throw Error(kind_, path(key) + ": " + message);
  }

 private:
  void require_object() const {
    if (!value_.is_object())
      throw Error(kind_, (path_.empty() ? std::string("value") : path_) + ": expected an object");
  }
  const Json& value_;
  std::string path_;
  ErrorKind kind_;
};

}  // namespace aui::detail
