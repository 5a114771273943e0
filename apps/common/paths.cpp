// aui-chat's path handling.

#include "paths.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace aui::chat {

std::string expand_user_path(const std::string& path) {
  if (path.empty() || path[0] != '~' || (path.size() > 1 && path[1] != '/')) return path;
  const char* home = std::getenv("HOME");
  if (!home || !*home) return path;
  return std::string(home) + path.substr(1);
}

std::string xdg_file(const char* variable, const char* home_default, const std::string& name,
                     const std::string& fallback) {
  if (const char* dir = std::getenv(variable); dir && *dir)
    return std::string(dir) + "/aui/" + name;
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/" + home_default + "/aui/" + name;
  return fallback;
}

void write_text_file(const std::string& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
  const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  const int write_errno = errno;
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed) {
    throw std::runtime_error("writing " + path +
                             " failed: " + std::strerror(written ? errno : write_errno) +
                             " (the file may be incomplete)");
  }
}

PathCompletion complete_path(std::string_view typed) {
  PathCompletion out{std::string(typed), {}};
  const auto slash = typed.rfind('/');
  const std::string dir(slash == std::string_view::npos ? "" : typed.substr(0, slash + 1));
  const std::string_view prefix = slash == std::string_view::npos ? typed : typed.substr(slash + 1);
  const std::string where = dir.empty() ? "." : expand_user_path(dir);
  std::vector<std::string> names;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(where, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    if (name[0] == '.' && (prefix.empty() || prefix[0] != '.')) continue;
    std::error_code type_ec;
    if (it->is_directory(type_ec)) name += '/';
    names.push_back(std::move(name));
  }
  if (ec || names.empty()) return out;
  std::sort(names.begin(), names.end());
  // The longest prefix every match shares: what Tab can add without choosing.
  std::string common = names.front();
  for (const auto& name : names) {
    std::size_t n = 0;
    while (n < common.size() && n < name.size() && common[n] == name[n]) ++n;
    common.resize(n);
  }
  out.completed = dir + common;
  out.matches = names.size();
  if (names.size() > 1) out.candidates = std::move(names);
  return out;
}

}  // namespace aui::chat
