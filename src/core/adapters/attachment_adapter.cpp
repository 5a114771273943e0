// The accept rule of spec §8.6.

#include "aui/adapters/attachment_adapter.hpp"

#include <algorithm>
#include <cctype>

namespace aui {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

bool attachment_accepted(std::string_view accept, std::string_view name,
                         std::string_view content_type) {
  if (trim(accept) == "*") return true;
  const std::string file = lower(name);
  std::string type = lower(content_type);
  if (auto semi = type.find(';'); semi != std::string::npos)
    type = std::string(trim(type.substr(0, semi)));
  std::size_t start = 0;
  while (start <= accept.size()) {
    std::size_t comma = accept.find(',', start);
    if (comma == std::string_view::npos) comma = accept.size();
    const std::string entry = lower(trim(accept.substr(start, comma - start)));
    start = comma + 1;
    if (entry.empty()) continue;
    if (entry == "*") return true;
    if (entry.front() == '.') {
      if (file.size() >= entry.size() &&
          file.compare(file.size() - entry.size(), entry.size(), entry) == 0) {
        return true;
      }
    } else if (entry.size() >= 2 && entry.compare(entry.size() - 2, 2, "/*") == 0) {
      if (type.compare(0, entry.size() - 1, entry, 0, entry.size() - 1) == 0 &&
          type.size() >= entry.size() - 1) {
        return true;
      }
    } else if (entry == type) {
      return true;
    }
  }
  return false;
}

}  // namespace aui
