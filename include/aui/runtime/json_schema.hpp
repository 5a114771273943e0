#pragma once
// Checking a tool's arguments against its JSON Schema, so a model's bad call becomes an error
// result that says which field is wrong and why.
//
// The keywords tool schemas use are checked: type (one or a list), enum, const, properties,
// required, additionalProperties, items, prefixItems, minItems, maxItems, uniqueItems,
// minLength, maxLength, pattern, minimum, maximum, exclusiveMinimum, exclusiveMaximum,
// multipleOf, minProperties, maxProperties, allOf, anyOf, oneOf, not, and local "$ref"s
// ("#/$defs/...", "#/definitions/..."). Keywords it does not know (format, annotations) never
// reject a value. A schema that is not an object (true, null, absent) accepts everything.

#include <optional>
#include <string>

#include "aui/model/json.hpp"

namespace aui {

/// Why a value does not match a schema: where (a path such as `items[2].name`, empty for the
/// value itself) and what is wrong, in words a person (or a model) understands.
struct SchemaViolation {
  std::string path{};
  std::string message{};
  /// "field `items[2].name`: expected a string, got the number 3" (no field part at the root).
  std::string describe() const;
};

/// The first violation of `schema` by `value`, or nullopt when it matches.
std::optional<SchemaViolation> validate_json(const Json& schema, const Json& value);

}  // namespace aui
