#pragma once
// The JSON value type used throughout aui's public API.

#include <nlohmann/json.hpp>

namespace aui {

/// Any JSON value. aui stores and forwards values of this type without interpreting them unless
/// the spec says otherwise.
using Json = nlohmann::json;

}  // namespace aui
