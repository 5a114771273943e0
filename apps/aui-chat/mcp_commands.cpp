// aui-chat's MCP servers and /mcp (mcp_commands.hpp).

#include "mcp_commands.hpp"

#include <ostream>
#include <sstream>
#include <stdexcept>

#include "terminal_text.hpp"

namespace aui::chat {

namespace {

constexpr std::size_t kLogLines = 200;

std::string safe(const std::string& text, std::size_t max = 200) {
  return sanitize_terminal_text(one_line(text, max), true).text;
}

}  // namespace

bool parse_mcp_arg(int argc, const char* const* argv, int& i, std::string& config_path, bool& off) {
  const std::string arg = argv[i];
  if (arg == "--no-mcp") {
    off = true;
    return true;
  }
  if (arg != "--mcp-config") return false;
  if (i + 1 >= argc || argv[i + 1][0] == '\0')
    throw std::invalid_argument("--mcp-config needs the file of MCP servers (mcpServers JSON)");
  config_path = argv[++i];
  return true;
}

const char* mcp_usage() {
  return "  --mcp-config FILE      start the MCP servers of FILE (the mcpServers JSON of Claude "
         "Desktop,\n"
         "                         Cursor, VS Code; default: $XDG_CONFIG_HOME/aui/mcp.json if "
         "it exists)\n"
         "  --no-mcp               start no MCP servers\n";
}

const char* McpCommands::help() {
  return "  /mcp                   the MCP servers: state, tools, resources, prompts\n"
         "  /mcp restart NAME      restart an MCP server\n"
         "  /mcp log NAME          what an MCP server said last (its log and standard error)\n";
}

McpCommands::McpCommands(const std::string& config_path, bool off) {
  if (off) return;
  std::filesystem::path path = config_path;
  if (path.empty()) {
    auto found = mcp::default_mcp_config_path();
    if (!found) return;
    path = *found;
  }
  config_file_ = path.string();
  mcp::McpConfig config = mcp::read_mcp_config_file(path);
  for (const auto& p : config.problems) problems_.push_back(p.describe());
  mcp::McpConnectionOptions options;
  // Server output stays out of the chat: the last lines of each are kept for /mcp log.
  options.log = [mutex = log_mutex_, logs = logs_](
                    const std::string& server, const std::string& level, const std::string& line) {
    std::lock_guard lock(*mutex);
    auto& lines = (*logs)[server];
    lines.push_back(level + ": " + line);
    if (lines.size() > kLogLines) lines.pop_front();
  };
  registry_ = std::make_shared<mcp::McpRegistry>(std::move(config), options);
}

void McpCommands::start(std::function<void(std::function<void()>)> post,
                        std::function<void(const std::string&)> notice) {
  if (!registry_) return;
  post_ = std::move(post);
  notice_ = std::move(notice);
  changes_ = registry_->subscribe([post = post_, alive = alive_, this] {
    post([alive, this] {
      if (*alive) on_change();
    });
  });
  registry_->start_all();
}

void McpCommands::stop() {
  *alive_ = false;
  changes_.unsubscribe();
  if (registry_) registry_->stop_all();
}

McpCommands::~McpCommands() {
  *alive_ = false;
  changes_.unsubscribe();
  registrations_.clear();
}

std::string McpCommands::banner() const {
  if (config_file_.empty()) return {};
  std::string out;
  for (const auto& p : problems_) out += "MCP configuration problem: " + p + "\n";
  const std::size_t n = registry_ ? registry_->servers().size() : 0;
  out += "MCP: " + std::to_string(n) + (n == 1 ? " server" : " servers") + " from " + config_file_ +
         (n ? " (starting; /mcp shows them)" : "");
  return out;
}

void McpCommands::register_thread(ThreadRuntime& thread) {
  if (registry_) registrations_.push_back(registry_->register_with(thread));
}

// On the chat's thread: one line when a server becomes ready or fails.
void McpCommands::on_change() {
  if (!registry_ || !notice_) return;
  for (const auto& s : registry_->servers()) {
    const auto status = s->status();
    auto& seen = announced_[s->name()];
    if (status.state == seen) continue;
    seen = status.state;
    if (status.state == mcp::McpServerState::Ready) {
      notice_("MCP server " + s->name() + " is ready (" + std::to_string(s->tools().size()) +
              " tools)");
    } else if (status.state == mcp::McpServerState::Failed) {
      notice_("MCP server " + s->name() + " failed: " + one_line(status.error, 300) +
              " (/mcp restart " + s->name() + " tries again)");
    }
  }
}

std::string McpCommands::tool_label(const std::string& tool_name) const {
  if (registry_) {
    if (auto ref = registry_->find_tool(tool_name)) return ref->server + ": " + ref->tool.tool.name;
  }
  return tool_name;
}

void McpCommands::print_server(const mcp::McpServerConnection& server, std::ostream& out) const {
  const auto status = server.status();
  out << "  " << safe(server.name()) << " — " << to_string(status.state);
  if (status.state == mcp::McpServerState::Failed) out << ": " << safe(status.error, 300);
  if (status.state == mcp::McpServerState::Stopped && server.config().disabled)
    out << " (disabled in the configuration)";
  if (status.state == mcp::McpServerState::Ready) {
    out << " (" << safe(status.info.name.empty() ? std::string("server") : status.info.name, 60);
    if (!status.info.version.empty()) out << " " << safe(status.info.version, 20);
    out << ", MCP " << safe(status.info.protocol_version, 20) << ")";
  }
  out << '\n';
  if (status.state != mcp::McpServerState::Ready) return;
  const auto tools = server.tools();
  out << "    tools (" << tools.size() << "):\n";
  for (const auto& t : tools) {
    out << "      " << safe(t.model_name, 64)
        << (t.needs_approval ? "" : "  [runs without asking]");
    const std::string about = t.tool.title.empty() ? t.tool.description : t.tool.title;
    if (!about.empty()) out << " — " << safe(about, 70);
    out << '\n';
  }
  const auto resources = server.resources();
  if (!resources.empty()) {
    out << "    resources (" << resources.size() << "):";
    for (std::size_t i = 0; i < resources.size() && i < 8; ++i)
      out << ' ' << safe(resources[i].uri, 60);
    if (resources.size() > 8) out << " …";
    out << '\n';
  }
  const auto prompts = server.prompts();
  if (!prompts.empty()) {
    out << "    prompts (" << prompts.size() << "):";
    for (const auto& p : prompts) out << ' ' << safe(p.name, 40);
    out << '\n';
  }
}

bool McpCommands::command(const std::string& cmd, const std::string& args, std::ostream& out) {
  if (cmd != "/mcp") return false;
  std::istringstream in(args);
  std::string sub, name;
  in >> sub >> name;
  if (!registry_)
    throw std::runtime_error(
        "no MCP servers are configured (start aui-chat with --mcp-config FILE, or put them in "
        "$XDG_CONFIG_HOME/aui/mcp.json)");
  if (sub.empty()) {
    out << "MCP servers from " << safe(config_file_, 300) << ":\n";
    for (const auto& p : problems_) out << "  not started: " << safe(p, 300) << '\n';
    for (const auto& s : registry_->servers()) print_server(*s, out);
    if (registry_->servers().empty()) out << "  (none)\n";
    return true;
  }
  if (sub == "restart") {
    if (name.empty()) throw std::runtime_error("usage: /mcp restart NAME");
    if (!registry_->restart(name))
      throw std::runtime_error("there is no MCP server \"" + name + "\"");
    announced_.erase(name);
    out << "restarting MCP server " << safe(name) << '\n';
    return true;
  }
  if (sub == "log") {
    if (name.empty()) throw std::runtime_error("usage: /mcp log NAME");
    if (!registry_->find(name)) throw std::runtime_error("there is no MCP server \"" + name + "\"");
    std::lock_guard lock(*log_mutex_);
    const auto it = logs_->find(name);
    if (it == logs_->end() || it->second.empty())
      out << "(" << safe(name) << " said nothing yet)\n";
    if (it != logs_->end()) {
      for (const auto& line : it->second) out << "  " << safe(line, 300) << '\n';
    }
    return true;
  }
  throw std::runtime_error("usage: /mcp, /mcp restart NAME or /mcp log NAME");
}

}  // namespace aui::chat
