// What the JSON writers and readers of the data model share: timestamps, parse_json and the
// names of roles, statuses and reasons. The writers are message_json_writer.cpp (a document) and
// message_json_text_writer.cpp (text); the readers message_json_reader.cpp (a document, strict,
// naming paths) and message_json_text_reader.cpp (text, the common shape without a document).

#include <cstdio>

#include "aui/model/message_json.hpp"
#include "aui/support/errors.hpp"
#include "model/message_json_internal.hpp"

namespace aui {

// ---------------------------------------------------------------------------------------------
// Timestamps

namespace detail {

void append_timestamp(std::string& out, Timestamp t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> hms{t - day};
  const int year = static_cast<int>(ymd.year());
  const auto month = static_cast<unsigned>(ymd.month());
  const auto mday = static_cast<unsigned>(ymd.day());
  const auto hour = static_cast<unsigned>(hms.hours().count());
  const auto minute = static_cast<unsigned>(hms.minutes().count());
  const auto second = static_cast<unsigned>(hms.seconds().count());
  const auto millis = static_cast<unsigned>(hms.subseconds().count());
  if (year < 0 || year > 9999) {
    // Years printf writes in another width; rare enough for printf.
    char buf[48];
    const int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02u:%02u:%02u.%03uZ", year, month,
                                mday, hour, minute, second, millis);
    out.append(buf, static_cast<std::size_t>(n));
    return;
  }
  char buf[24];
  const auto two = [&](char* at, unsigned v) {
    at[0] = static_cast<char>('0' + v / 10);
    at[1] = static_cast<char>('0' + v % 10);
  };
  const auto y = static_cast<unsigned>(year);
  two(buf, y / 100);
  two(buf + 2, y % 100);
  buf[4] = '-';
  two(buf + 5, month);
  buf[7] = '-';
  two(buf + 8, mday);
  buf[10] = 'T';
  two(buf + 11, hour);
  buf[13] = ':';
  two(buf + 14, minute);
  buf[16] = ':';
  two(buf + 17, second);
  buf[19] = '.';
  buf[20] = static_cast<char>('0' + millis / 100);
  two(buf + 21, millis % 100);
  buf[23] = 'Z';
  out.append(buf, sizeof buf);
}

}  // namespace detail

std::string format_timestamp(Timestamp t) {
  std::string out;
  detail::append_timestamp(out, t);
  return out;
}

Timestamp parse_timestamp(std::string_view s, const std::string& path) {
  auto fail = [&]() -> Timestamp {
    throw Error(ErrorKind::InvalidJson,
                path + ": expected an ISO-8601 UTC time, got \"" + std::string(s) + "\"");
  };
  std::size_t i = 0;
  auto digits = [&](std::size_t n) -> int {
    if (i + n > s.size()) fail();
    int v = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const char c = s[i + k];
      if (c < '0' || c > '9') fail();
      v = v * 10 + (c - '0');
    }
    i += n;
    return v;
  };
  auto expect = [&](char c) {
    if (i >= s.size() || s[i] != c) fail();
    ++i;
  };
  const int year = digits(4);
  expect('-');
  const int month = digits(2);
  expect('-');
  const int day = digits(2);
  if (i >= s.size() || (s[i] != 'T' && s[i] != 't' && s[i] != ' ')) fail();
  ++i;
  const int hour = digits(2);
  expect(':');
  const int minute = digits(2);
  expect(':');
  const int second = digits(2);
  int millis = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int scale = 100;
    std::size_t n = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (scale > 0) millis += (s[i] - '0') * scale;
      scale /= 10;
      ++i;
      ++n;
    }
    if (n == 0) fail();
  }
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (s.substr(i) == "+00:00") {
    i += 6;
  } else {
    fail();
  }
  if (i != s.size()) fail();
  using namespace std::chrono;
  const year_month_day ymd{std::chrono::year{year},
                           std::chrono::month{static_cast<unsigned>(month)},
                           std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) fail();
  return sys_days{ymd} + hours{hour} + minutes{minute} + seconds{second} + milliseconds{millis};
}

Json parse_json(std::string_view text, const std::string& what) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    throw Error(ErrorKind::InvalidJson, what + ": not valid JSON at byte " +
                                            std::to_string(e.byte) + " (" + e.what() + ")");
  } catch (const Json::exception& e) {
    // Well-formed but out of range (a number too large for a double): as invalid to us.
    throw Error(ErrorKind::InvalidJson, what + ": not valid JSON (" + e.what() + ")");
  }
}

// ---------------------------------------------------------------------------------------------
// Names

namespace detail {

StatusType status_type_from(std::string_view s, const std::string& path, ErrorKind kind) {
  if (s == "running") return StatusType::Running;
  if (s == "requires-action") return StatusType::RequiresAction;
  if (s == "complete") return StatusType::Complete;
  if (s == "incomplete") return StatusType::Incomplete;
  throw Error(kind, path + ": unknown status type \"" + std::string(s) + "\"");
}

StatusReason reason_from(std::string_view s, const std::string& path, ErrorKind kind) {
  if (s == "tool-calls") return StatusReason::ToolCalls;
  if (s == "interrupt") return StatusReason::Interrupt;
  if (s == "stop") return StatusReason::Stop;
  if (s == "unknown") return StatusReason::Unknown;
  if (s == "cancelled") return StatusReason::Cancelled;
  if (s == "length") return StatusReason::Length;
  if (s == "content-filter") return StatusReason::ContentFilter;
  if (s == "other") return StatusReason::Other;
  if (s == "error") return StatusReason::Error;
  throw Error(kind, path + ": unknown status reason \"" + std::string(s) + "\"");
}

bool reason_fits(StatusType type, StatusReason reason) {
  switch (type) {
    case StatusType::Running: return reason == StatusReason::None;
    case StatusType::RequiresAction:
      return reason == StatusReason::ToolCalls || reason == StatusReason::Interrupt;
    case StatusType::Complete:
      return reason == StatusReason::Stop || reason == StatusReason::Unknown;
    case StatusType::Incomplete:
      return reason == StatusReason::Cancelled || reason == StatusReason::ToolCalls ||
             reason == StatusReason::Length || reason == StatusReason::ContentFilter ||
             reason == StatusReason::Other || reason == StatusReason::Error;
  }
  return false;
}

Role role_from(std::string_view s, const std::string& path, ErrorKind kind) {
  if (s == "user") return Role::User;
  if (s == "assistant") return Role::Assistant;
  if (s == "system") return Role::System;
  throw Error(kind, path + ": unknown role \"" + std::string(s) + "\"");
}
}  // namespace detail

}  // namespace aui
