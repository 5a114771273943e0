#include "mcp_support.hpp"

#include <signal.h>

#include <cerrno>
#include <thread>

#include "support/source_paths.hpp"

namespace aui::mcp::test {

void LogSink::add(const std::string& server, const std::string& level, const std::string& line) {
  std::lock_guard lock(state_->mutex);
  state_->lines.push_back(server + " " + level + ": " + line);
}

bool LogSink::contains(const std::string& text) const {
  std::lock_guard lock(state_->mutex);
  for (const auto& l : state_->lines) {
    if (l.find(text) != std::string::npos) return true;
  }
  return false;
}

std::string LogSink::dump() const {
  std::lock_guard lock(state_->mutex);
  std::string out;
  for (const auto& l : state_->lines) out += l.substr(0, 300) + "\n";
  return out;
}

std::size_t LogSink::size() const {
  std::lock_guard lock(state_->mutex);
  return state_->lines.size();
}

McpConnectionOptions options_with(LogSink& log) {
  McpConnectionOptions o;
  o.log = [state = log.state()](const std::string& server, const std::string& level,
                                const std::string& line) {
    std::lock_guard lock(state->mutex);
    state->lines.push_back(server + " " + level + ": " + line);
  };
  o.exit_grace = std::chrono::milliseconds(300);
  o.term_grace = std::chrono::milliseconds(300);
  return o;
}

std::filesystem::path bad_server_script() {
  return aui::testing::source_dir() / "tests" / "mcp" / "bad_server.py";
}

McpServerConfig bad_server(const std::string& mode, const std::string& name) {
  McpServerConfig c;
  c.name = name;
  // Debian's interpreter when it is there: a version manager's shim can take seconds to start.
  const bool system_python = std::filesystem::exists("/usr/bin/python3");
  c.argv = {system_python ? "/usr/bin/python3" : "python3", bad_server_script().string(), mode};
  return c;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

bool process_exists(int pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

int logged_pid(const LogSink& log) {
  const std::string text = log.dump();
  const auto at = text.find("stderr: pid ");
  if (at == std::string::npos) return 0;
  return std::atoi(text.c_str() + at + 12);
}

}  // namespace aui::mcp::test
