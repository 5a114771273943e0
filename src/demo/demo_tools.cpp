// The demo's offline toolkit.

#include "aui/demo/demo_tools.hpp"

#include <cmath>
#include <ctime>
#include <stdexcept>
#include <string>

namespace aui {

namespace {

// A recursive-descent evaluator: expr := term (('+'|'-') term)*; term := power (('*'|'/'|'%')
// power)*; power := unary ('^' power)?; unary := '-' unary | primary; primary := number | '(' expr
// ')'.
class Arithmetic {
 public:
  explicit Arithmetic(std::string_view s) : s_(s) {}

  double parse() {
    const double v = expr();
    skip();
    if (pos_ != s_.size()) fail(std::string("unexpected \"") + s_[pos_] + "\"");
    if (!std::isfinite(v)) throw std::invalid_argument("the result is too large");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::invalid_argument(what + " at position " + std::to_string(pos_ + 1) + " of \"" +
                                std::string(s_) + "\"");
  }
  void skip() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
  }
  bool eat(char c) {
    skip();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  double expr() {
    double v = term();
    for (;;) {
      if (eat('+')) {
        v += term();
      } else if (eat('-')) {
        v -= term();
      } else {
        return v;
      }
    }
  }
  double term() {
    double v = power();
    for (;;) {
      if (eat('*')) {
        v *= power();
      } else if (eat('/')) {
        const double d = power();
        if (d == 0) throw std::invalid_argument("division by zero");
        v /= d;
      } else if (eat('%')) {
        const double d = power();
        if (d == 0) throw std::invalid_argument("division by zero");
        v = std::fmod(v, d);
      } else {
        return v;
      }
    }
  }
  double power() {
    const double base = unary();
    if (eat('^')) return std::pow(base, power());
    return base;
  }
  double unary() {
    if (++depth_ > 200) fail("too deeply nested");
    double v = 0;
    if (eat('-')) {
      v = -unary();
    } else if (eat('+')) {
      v = unary();
    } else {
      v = primary();
    }
    --depth_;
    return v;
  }
  double primary() {
    if (eat('(')) {
      const double v = expr();
      if (!eat(')')) fail("missing \")\"");
      return v;
    }
    skip();
    const std::size_t start = pos_;
    while (pos_ < s_.size() && ((s_[pos_] >= '0' && s_[pos_] <= '9') || s_[pos_] == '.')) ++pos_;
    if (start == pos_) {
      if (pos_ >= s_.size()) fail("the expression ends too early");
      fail(std::string("unexpected \"") + s_[pos_] + "\"");
    }
    const std::string number(s_.substr(start, pos_ - start));
    std::size_t used = 0;
    double v = 0;
    try {
      v = std::stod(number, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != number.size()) fail("\"" + number + "\" is not a number");
    return v;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  int depth_ = 0;
};

Json object_schema(Json properties, std::vector<std::string> required) {
  return Json{{"type", "object"},
              {"properties", std::move(properties)},
              {"required", std::move(required)},
              {"additionalProperties", false}};
}

// Made-up but stable weather: the same city always gets the same answer.
Json demo_weather(const std::string& city, const std::string& unit) {
  static const char* const kConditions[] = {"sunny", "cloudy", "light rain",
                                            "windy", "foggy",  "snowing"};
  std::size_t h = 1469598103u;
  for (unsigned char c : city) h = (h ^ static_cast<unsigned char>(std::tolower(c))) * 16777619u;
  const int celsius = static_cast<int>(h % 35) - 5;
  const bool fahrenheit = unit == "f";
  return Json{{"city", city},
              {"temperature", fahrenheit ? celsius * 9 / 5 + 32 : celsius},
              {"unit", fahrenheit ? "°F" : "°C"},
              {"conditions", kConditions[(h / 35) % 6]},
              {"source", "aui demo data, not a forecast"}};
}

std::string format_time(const std::tm& t, const char* format) {
  char buffer[64];
  const std::size_t n = std::strftime(buffer, sizeof buffer, format, &t);
  return std::string(buffer, n);
}

}  // namespace

double evaluate_arithmetic(std::string_view expression) { return Arithmetic(expression).parse(); }

Toolkit make_demo_toolkit() {
  Toolkit tools;
  tools["get_weather"] = Tool{
      .description = "Get the current weather in a city (the demo makes it up).",
      .parameters = object_schema(
          {{"city", {{"type", "string"}, {"minLength", 1}}}, {"unit", {{"enum", {"c", "f"}}}}},
          {"city"}),
      .type = "frontend",
      .execute = [](const Json& args) {
        return demo_weather(args["city"].get<std::string>(), args.value("unit", std::string("c")));
      }};
  tools["get_time"] = Tool{.description = "Get the current date and time of this machine.",
                           .parameters = object_schema(Json::object(), {}),
                           .type = "frontend",
                           .execute = [](const Json&) {
                             const std::time_t now = std::time(nullptr);
                             std::tm utc{};
                             std::tm local{};
                             gmtime_r(&now, &utc);
                             localtime_r(&now, &local);
                             return Json{{"utc", format_time(utc, "%Y-%m-%d %H:%M:%S UTC")},
                                         {"local", format_time(local, "%Y-%m-%d %H:%M:%S %Z")}};
                           }};
  tools["calculate"] = Tool{
      .description = "Evaluate an arithmetic expression: numbers, + - * / % ^ and parentheses.",
      .parameters =
          object_schema({{"expression", {{"type", "string"}, {"minLength", 1}}}}, {"expression"}),
      .type = "frontend",
      .execute = [](const Json& args) {
        const std::string expression = args["expression"].get<std::string>();
        return Json{{"expression", expression}, {"value", evaluate_arithmetic(expression)}};
      }};
  tools["send_email"] =
      Tool{.description = "Send an email. A person confirms or answers it; the demo sends nothing.",
           .parameters = object_schema({{"to", {{"type", "string"}}},
                                        {"subject", {{"type", "string"}}},
                                        {"body", {{"type", "string"}}}},
                                       {"to", "subject", "body"}),
           .type = "human"};
  tools["deploy"] =
      Tool{.description =
               "Deploy a service to an environment (asks for approval; the demo deploys nothing).",
           .parameters = object_schema({{"service", {{"type", "string"}}},
                                        {"environment", {{"enum", {"staging", "production"}}}}},
                                       {"service", "environment"}),
           .type = "frontend",
           .execute =
               [](const Json& args) {
                 return Json{{"service", args["service"]},
                             {"environment", args["environment"]},
                             {"version", "demo-1.0"},
                             {"note", "nothing was really deployed: this is the aui demo"}};
               },
           .needs_approval = true};
  return tools;
}

}  // namespace aui
