#pragma once
// Helpers shared by the MCP test programs: a log sink, server configurations, waiting for a
// condition that another process brings about.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "aui/mcp/server_connection.hpp"

namespace aui::mcp::test {

/// Collects every log line of the servers (thread-safe).
/// The lines live in shared state: a connection's start job may still log after the test's
/// handle (and this sink, on the test's stack) is gone (see McpConnectionOptions::log).
class LogSink {
 public:
  void add(const std::string& server, const std::string& level, const std::string& line);
  bool contains(const std::string& text) const;
  std::string dump() const;
  std::size_t size() const;

  struct State {
    std::mutex mutex;
    std::vector<std::string> lines;
  };
  std::shared_ptr<State> state() const { return state_; }

 private:
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

/// Options whose log goes to `log` and whose shutdown graces are short (a hung test server is
/// killed after 0.3 s + 0.3 s).
McpConnectionOptions options_with(LogSink& log);

/// tests/mcp/bad_server.py in `mode` (see the script).
McpServerConfig bad_server(const std::string& mode, const std::string& name = "bad");
std::filesystem::path bad_server_script();

/// Polls `condition` (every 5 ms) until it holds or `timeout` passes. For conditions another
/// process brings about (a server's answer): the timeout only bounds how long a failure takes.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// True while a process with that id exists (a zombie counts: it exists until reaped).
bool process_exists(int pid);
/// The pid a test server wrote as "pid N" on its standard error, from the log; 0 if none.
int logged_pid(const LogSink& log);

}  // namespace aui::mcp::test
