// A JSON Schema checker for tool arguments (the keywords listed in json_schema.hpp).

#include "aui/runtime/json_schema.hpp"

#include <cmath>
#include <regex>
#include <sstream>

namespace aui {

namespace {

std::string type_name(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return "a number";
    case Json::value_t::string: return "a string";
    case Json::value_t::array: return "an array";
    case Json::value_t::object: return "an object";
    default: return "a value";
  }
}

// A short rendering of a value for messages, cut so a huge argument never floods an error.
std::string show(const Json& v) {
  std::string s = v.dump();
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

std::string got(const Json& v) {
  if (v.is_null()) return "got null";
  if (v.is_object() || v.is_array()) return "got " + type_name(v);
  return "got " + type_name(v) + " " + show(v);
}

bool is_integer(const Json& v) {
  if (v.is_number_integer()) return true;
  if (!v.is_number_float()) return false;
  const double d = v.get<double>();
  return std::isfinite(d) && std::floor(d) == d;
}

bool has_type(const Json& v, const std::string& t) {
  if (t == "object") return v.is_object();
  if (t == "array") return v.is_array();
  if (t == "string") return v.is_string();
  if (t == "number") return v.is_number();
  if (t == "integer") return is_integer(v);
  if (t == "boolean") return v.is_boolean();
  if (t == "null") return v.is_null();
  return true;  // an unknown type name restricts nothing
}

std::string article(const std::string& t) {
  if (t == "object" || t == "array" || t == "integer") return "an " + t;
  if (t == "null") return "null";
  return "a " + t;
}

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string child_path(const std::string& base, const std::string& key) {
  return base.empty() ? key : base + "." + key;
}

std::string index_path(const std::string& base, std::size_t i) {
  return base + "[" + std::to_string(i) + "]";
}

class Checker {
 public:
  explicit Checker(const Json& root) : root_(root) {}

  std::optional<SchemaViolation> check(const Json& schema, const Json& v, const std::string& path,
                                       int depth = 0) const {
    if (!schema.is_object()) {
      if (schema.is_boolean() && !schema.get<bool>()) return fail(path, "no value is allowed here");
      return std::nullopt;
    }
    if (depth > 64) return fail(path, "the schema nests too deeply (a $ref cycle?)");
    if (auto it = schema.find("$ref"); it != schema.end() && it->is_string()) {
      const Json* target = resolve(it->get<std::string>());
      if (target) {
        if (auto bad = check(*target, v, path, depth + 1)) return bad;
      }
    }
    if (auto it = schema.find("type"); it != schema.end()) {
      if (auto bad = check_type(*it, v, path)) return bad;
    }
    if (auto it = schema.find("enum"); it != schema.end() && it->is_array()) {
      bool found = false;
      for (const auto& option : *it) found = found || option == v;
      if (!found) return fail(path, "expected one of " + show(*it) + ", " + got(v));
    }
    if (auto it = schema.find("const"); it != schema.end() && *it != v) {
      return fail(path, "expected " + show(*it) + ", " + got(v));
    }
    if (v.is_object()) {
      if (auto bad = check_object(schema, v, path, depth)) return bad;
    } else if (v.is_array()) {
      if (auto bad = check_array(schema, v, path, depth)) return bad;
    } else if (v.is_string()) {
      if (auto bad = check_string(schema, v, path)) return bad;
    } else if (v.is_number()) {
      if (auto bad = check_number(schema, v, path)) return bad;
    }
    return check_combinators(schema, v, path, depth);
  }

 private:
  static std::optional<SchemaViolation> fail(const std::string& path, std::string message) {
    return SchemaViolation{path, std::move(message)};
  }

  const Json* resolve(const std::string& ref) const {
    // Local references only: "#", "#/$defs/x", "#/definitions/x", or any JSON pointer.
    if (ref.empty() || ref[0] != '#') return nullptr;
    try {
      const Json::json_pointer pointer(ref.substr(1));
      if (!root_.contains(pointer)) return nullptr;
      return &root_.at(pointer);
    } catch (const std::exception&) {
      return nullptr;
    }
  }

  static std::optional<SchemaViolation> check_type(const Json& type, const Json& v,
                                                   const std::string& path) {
    if (type.is_string()) {
      const auto t = type.get<std::string>();
      if (!has_type(v, t)) return fail(path, "expected " + article(t) + ", " + got(v));
      return std::nullopt;
    }
    if (!type.is_array()) return std::nullopt;
    std::string names;
    for (const auto& t : type) {
      if (!t.is_string()) continue;
      if (has_type(v, t.get<std::string>())) return std::nullopt;
      if (!names.empty()) names += " or ";
      names += article(t.get<std::string>());
    }
    if (names.empty()) return std::nullopt;
    return fail(path, "expected " + names + ", " + got(v));
  }

  std::optional<SchemaViolation> check_object(const Json& schema, const Json& v,
                                              const std::string& path, int depth) const {
    const auto properties = schema.find("properties");
    const bool has_properties = properties != schema.end() && properties->is_object();
    if (auto it = schema.find("required"); it != schema.end() && it->is_array()) {
      for (const auto& name : *it) {
        if (name.is_string() && !v.contains(name.get<std::string>())) {
          return fail(child_path(path, name.get<std::string>()), "is required but missing");
        }
      }
    }
    const auto additional = schema.find("additionalProperties");
    for (const auto& [key, value] : v.items()) {
      const std::string p = child_path(path, key);
      if (has_properties) {
        if (auto prop = properties->find(key); prop != properties->end()) {
          if (auto bad = check(*prop, value, p, depth + 1)) return bad;
          continue;
        }
      }
      if (additional == schema.end()) continue;
      if (additional->is_boolean() && !additional->get<bool>()) {
        return fail(p, "is not an allowed field");
      }
      if (additional->is_object()) {
        if (auto bad = check(*additional, value, p, depth + 1)) return bad;
      }
    }
    if (auto it = schema.find("minProperties"); it != schema.end() && it->is_number()) {
      if (v.size() < it->get<double>())
        return fail(path, "needs at least " + show(*it) + " fields");
    }
    if (auto it = schema.find("maxProperties"); it != schema.end() && it->is_number()) {
      if (v.size() > it->get<double>())
        return fail(path, "allows at most " + show(*it) + " fields");
    }
    return std::nullopt;
  }

  std::optional<SchemaViolation> check_array(const Json& schema, const Json& v,
                                             const std::string& path, int depth) const {
    std::size_t first_plain = 0;
    if (auto it = schema.find("prefixItems"); it != schema.end() && it->is_array()) {
      for (std::size_t i = 0; i < it->size() && i < v.size(); ++i) {
        if (auto bad = check((*it)[i], v[i], index_path(path, i), depth + 1)) return bad;
      }
      first_plain = it->size();
    }
    if (auto it = schema.find("items"); it != schema.end()) {
      if (it->is_array()) {  // the older tuple form
        for (std::size_t i = 0; i < it->size() && i < v.size(); ++i) {
          if (auto bad = check((*it)[i], v[i], index_path(path, i), depth + 1)) return bad;
        }
      } else {
        for (std::size_t i = first_plain; i < v.size(); ++i) {
          if (auto bad = check(*it, v[i], index_path(path, i), depth + 1)) return bad;
        }
      }
    }
    if (auto it = schema.find("minItems"); it != schema.end() && it->is_number()) {
      if (v.size() < it->get<double>()) {
        return fail(path,
                    "needs at least " + show(*it) + " items, got " + std::to_string(v.size()));
      }
    }
    if (auto it = schema.find("maxItems"); it != schema.end() && it->is_number()) {
      if (v.size() > it->get<double>()) {
        return fail(path,
                    "allows at most " + show(*it) + " items, got " + std::to_string(v.size()));
      }
    }
    if (auto it = schema.find("uniqueItems");
        it != schema.end() && it->is_boolean() && it->get<bool>()) {
      for (std::size_t i = 0; i < v.size(); ++i) {
        for (std::size_t j = i + 1; j < v.size(); ++j) {
          if (v[i] == v[j]) return fail(index_path(path, j), "repeats item " + std::to_string(i));
        }
      }
    }
    return std::nullopt;
  }

  static std::optional<SchemaViolation> check_string(const Json& schema, const Json& v,
                                                     const std::string& path) {
    const auto& s = v.get_ref<const std::string&>();
    const std::size_t n = code_points(s);
    if (auto it = schema.find("minLength"); it != schema.end() && it->is_number()) {
      if (n < it->get<double>())
        return fail(path, "must be at least " + show(*it) + " characters long");
    }
    if (auto it = schema.find("maxLength"); it != schema.end() && it->is_number()) {
      if (n > it->get<double>())
        return fail(path, "must be at most " + show(*it) + " characters long");
    }
    if (auto it = schema.find("pattern"); it != schema.end() && it->is_string()) {
      try {
        const std::regex re(it->get<std::string>(), std::regex::ECMAScript);
        if (!std::regex_search(s, re)) return fail(path, "does not match the pattern " + show(*it));
      } catch (const std::regex_error&) {
        // A pattern this regex engine cannot read restricts nothing rather than failing every call.
      }
    }
    return std::nullopt;
  }

  static std::optional<SchemaViolation> check_number(const Json& schema, const Json& v,
                                                     const std::string& path) {
    const double d = v.get<double>();
    auto bound = [&](const char* key) -> std::optional<double> {
      auto it = schema.find(key);
      if (it == schema.end() || !it->is_number()) return std::nullopt;
      return it->get<double>();
    };
    if (auto m = bound("minimum"); m && d < *m)
      return fail(path, "must be at least " + show(schema["minimum"]) + ", " + got(v));
    if (auto m = bound("maximum"); m && d > *m)
      return fail(path, "must be at most " + show(schema["maximum"]) + ", " + got(v));
    if (auto m = bound("exclusiveMinimum"); m && d <= *m) {
      return fail(path, "must be greater than " + show(schema["exclusiveMinimum"]) + ", " + got(v));
    }
    if (auto m = bound("exclusiveMaximum"); m && d >= *m) {
      return fail(path, "must be less than " + show(schema["exclusiveMaximum"]) + ", " + got(v));
    }
    if (auto m = bound("multipleOf"); m && *m > 0) {
      const double q = d / *m;
      if (std::fabs(q - std::round(q)) > 1e-9)
        return fail(path, "must be a multiple of " + show(schema["multipleOf"]));
    }
    return std::nullopt;
  }

  std::optional<SchemaViolation> check_combinators(const Json& schema, const Json& v,
                                                   const std::string& path, int depth) const {
    if (auto it = schema.find("allOf"); it != schema.end() && it->is_array()) {
      for (const auto& s : *it) {
        if (auto bad = check(s, v, path, depth + 1)) return bad;
      }
    }
    if (auto it = schema.find("anyOf"); it != schema.end() && it->is_array() && !it->empty()) {
      std::optional<SchemaViolation> first;
      bool any = false;
      for (const auto& s : *it) {
        auto bad = check(s, v, path, depth + 1);
        if (!bad) {
          any = true;
          break;
        }
        if (!first) first = std::move(bad);
      }
      if (!any) {
        if (it->size() == 1) return first;
        return fail(path, "matches none of the allowed forms (first: " + first->describe() + ")");
      }
    }
    if (auto it = schema.find("oneOf"); it != schema.end() && it->is_array() && !it->empty()) {
      std::size_t matches = 0;
      std::optional<SchemaViolation> first;
      for (const auto& s : *it) {
        auto bad = check(s, v, path, depth + 1);
        if (!bad) {
          ++matches;
        } else if (!first) {
          first = std::move(bad);
        }
      }
      if (matches == 0) {
        if (it->size() == 1) return first;
        return fail(path, "matches none of the allowed forms (first: " + first->describe() + ")");
      }
      if (matches > 1) return fail(path, "matches more than one of the allowed forms");
    }
    if (auto it = schema.find("not"); it != schema.end()) {
      if (!check(*it, v, path, depth + 1)) return fail(path, "matches a form that is not allowed");
    }
    return std::nullopt;
  }

  const Json& root_;
};

}  // namespace

std::string SchemaViolation::describe() const {
  if (path.empty()) return message;
  // "field `a`: expected a string, ..." but "field `a` is required but missing".
  const bool is_clause = message.rfind("expected ", 0) != 0;
  return "field `" + path + "`" + (is_clause ? " " : ": ") + message;
}

std::optional<SchemaViolation> validate_json(const Json& schema, const Json& value) {
  return Checker(schema).check(schema, value, "");
}

}  // namespace aui
