#pragma once
// The `mcpServers` configuration that Claude Desktop, Cursor and VS Code read (VS Code's
// "servers" key too), with aui's own trust fields:
//
//     {"mcpServers": {
//        "fs":  {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem",
//        "/tmp"],
//                "env": {"DEBUG": "0"}, "cwd": "/tmp", "allowReadOnly": true},
//        "web": {"url": "https://example.com/mcp",
//                "headers": {"Authorization": "Bearer ${WEB_TOKEN}"},
//                "trusted": false, "trustedTools": ["search"]}}}
//
// `${NAME}` (or VS Code's `${env:NAME}`) in command, args, env, cwd, url and headers is taken
// from the environment; a variable that is not set is a problem of that server.

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "aui/model/json.hpp"

namespace aui::mcp {

/// One server of the configuration.
struct McpServerConfig {
  std::string name{};
  /// stdio: the command and its arguments (command first).
  std::vector<std::string> argv{};
  std::map<std::string, std::string> env{};
  std::string cwd{};
  /// Streamable HTTP: the endpoint and the headers sent with every request (secrets: never
  /// logged nor shown).
  std::string url{};
  std::vector<std::pair<std::string, std::string>> headers{};
  /// "disabled": true — listed, not started.
  bool disabled = false;
  /// "trusted": true — none of the server's tools asks for approval.
  bool trusted = false;
  /// "trustedTools": tools (by the server's names) that run without approval.
  std::set<std::string> trusted_tools{};
  /// "allowReadOnly": true — tools the server annotates readOnlyHint run without approval.
  /// The server says so; nothing checks it, hence off by default.
  bool allow_read_only = false;
  bool is_http() const noexcept { return !url.empty(); }
};

/// What is wrong with a configuration, naming where: the file, the server and the field.
struct McpConfigProblem {
  std::string file{};
  std::string server{};  // empty: the file as a whole
  std::string field{};   // empty: the server as a whole
  std::string message{};
  /// `mcp.json: server "web", field "url": ...` — a sentence for the user.
  std::string describe() const;
};

struct McpConfig {
  /// The servers that can be started, by name.
  std::vector<McpServerConfig> servers{};
  /// The servers (or the file) that cannot; the other servers are unaffected.
  std::vector<McpConfigProblem> problems{};
};

/// Looks an environment variable up; nullopt when it is not set.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
/// The process environment.
EnvLookup process_environment();

/// Reads a parsed configuration. `file` names it in problems; relative `cwd`s are taken from
/// the file's directory.
McpConfig parse_mcp_config(const Json& document, const std::string& file = "mcp.json",
                           const EnvLookup& env = process_environment());
/// Reads a configuration file. A file that is missing, unreadable or not JSON is one problem.
McpConfig read_mcp_config_file(const std::filesystem::path& path,
                               const EnvLookup& env = process_environment());
/// `$XDG_CONFIG_HOME/aui/mcp.json` (or `~/.config/aui/mcp.json`) when that file exists.
std::optional<std::filesystem::path> default_mcp_config_path(
    const EnvLookup& env = process_environment());

/// `text` with each `${NAME}` / `${env:NAME}` replaced from `env`. A variable that is not set
/// is named in `missing` (and left empty).
std::string expand_environment(const std::string& text, const EnvLookup& env,
                               std::string* missing = nullptr);

}  // namespace aui::mcp
