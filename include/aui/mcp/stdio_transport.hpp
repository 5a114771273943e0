#pragma once
// The stdio transport: the server is a child process; messages are JSON lines on its standard
// input and output; what it writes to standard error goes to the log.

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "aui/mcp/transport.hpp"

namespace aui::mcp {

struct StdioServerParams {
  /// The command and its arguments. A command without a '/' is looked up on PATH (the PATH of
  /// `env` when it sets one).
  std::vector<std::string> argv{};
  /// Set in the child's environment, on top of this process's own.
  std::map<std::string, std::string> env{};
  /// The child's working directory; empty = this process's.
  std::string cwd{};
  /// A line from the server longer than this is dropped (the request it answered fails with
  /// "too large"), so a server gone haywire cannot eat the memory.
  std::size_t max_message_bytes = std::size_t{16} << 20;
  /// Messages waiting for a server that does not read its input: beyond this, send() fails.
  std::size_t max_pending_bytes = std::size_t{64} << 20;
  /// Shutdown: standard input is closed first; a server still running after `exit_grace` gets
  /// SIGTERM, and SIGKILL after `term_grace` more. The child is always reaped.
  std::chrono::milliseconds exit_grace{2'000};
  std::chrono::milliseconds term_grace{2'000};
};

/// A transport that spawns the server when started. The child runs in a process group of its
/// own (a terminal's Ctrl-C does not reach it; shutdown signals reach its children too), with
/// the default signal mask and dispositions whatever this process blocks or ignores.
std::unique_ptr<McpTransport> make_stdio_transport(StdioServerParams params);

}  // namespace aui::mcp
