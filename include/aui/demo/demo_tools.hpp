#pragma once
// The demo's toolkit: tools that work offline, so tool calls, human tools and approval gates can
// be tried without a backend (the offline demo adapter calls them when asked).

#include "aui/runtime/tool.hpp"

namespace aui {

/// get_weather (made-up weather, marked as demo data), get_time (this machine's clock),
/// calculate (arithmetic: + - * / % ^ and parentheses), send_email (a human tool: a person
/// answers it; nothing is sent) and deploy (needs approval; deploys nothing real).
Toolkit make_demo_toolkit();

/// Evaluates an arithmetic expression of numbers, + - * / % ^ (power, right-associative),
/// unary minus and parentheses. Throws std::invalid_argument with a readable message for
/// anything else, a division by zero or a result that is not finite.
double evaluate_arithmetic(std::string_view expression);

}  // namespace aui
