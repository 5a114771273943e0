// aui-chat's MCP servers and /mcp (mcp_commands.hpp).

#include "mcp_commands.hpp"

#include <cstdio>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "aui/support/executor.hpp"

#include "terminal_text.hpp"

namespace aui::chat {

namespace {

constexpr std::size_t kLogLines = 200;

std::string safe(const std::string& text, std::size_t max = 200) {
  return sanitize_terminal_text(one_line(text, max), true).text;
}

/// "2 of 5: reading files" (a number as short as it can be written).
std::string describe_progress(const mcp::McpProgress& p) {
  auto number = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return std::string(buf);
  };
  std::string out = "progress " + number(p.progress);
  if (p.total) out += " of " + number(*p.total);
  if (!p.message.empty()) out += ": " + p.message;
  return out;
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
         "  /mcp log NAME          what an MCP server said last (its log and standard error)\n"
         "  /mcp attach SERVER URI attach an MCP server's resource to your next message\n"
         "  /mcp prompt SERVER NAME [ARG=VALUE ...]\n"
         "                         send an MCP server's prompt, filled in, as your message\n";
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
  options.on_progress = [sink = progress_](const mcp::McpToolProgress& p) {
    if (*sink) (*sink)(p);
  };
  registry_ = std::make_shared<mcp::McpRegistry>(std::move(config), options);
}

void McpCommands::start(std::function<void(std::function<void()>)> post,
                        std::function<void(const std::string&)> notice,
                        std::function<void(const std::string&, const std::string&)> progress) {
  if (!registry_) return;
  post_ = std::move(post);
  notice_ = std::move(notice);
  if (progress) {
    // Reports arrive on the servers' threads; the chat shows them on its own.
    *progress_ = [post = post_, alive = alive_, progress](const mcp::McpToolProgress& p) {
      const std::string line = p.server + ": " + describe_progress(p.progress);
      post([alive, progress, id = p.tool_call_id, line] {
        if (*alive) progress(id, line);
      });
    };
  }
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
  if (sub == "attach") {
    std::string uri;
    in >> uri;
    if (name.empty() || uri.empty()) throw std::runtime_error("usage: /mcp attach SERVER URI");
    attach(name, uri, out);
    return true;
  }
  if (sub == "prompt") {
    std::string prompt_name;
    in >> prompt_name;
    if (name.empty() || prompt_name.empty())
      throw std::runtime_error("usage: /mcp prompt SERVER NAME [ARG=VALUE ...]");
    Json arguments = Json::object();
    for (std::string arg; in >> arg;) {
      const auto eq = arg.find('=');
      if (eq == std::string::npos || eq == 0)
        throw std::runtime_error("a prompt's arguments are NAME=VALUE, not \"" + arg + "\"");
      arguments[arg.substr(0, eq)] = arg.substr(eq + 1);
    }
    use_prompt(name, prompt_name, arguments, out);
    return true;
  }
  throw std::runtime_error(
      "usage: /mcp, /mcp restart NAME, /mcp log NAME, /mcp attach SERVER URI or /mcp prompt "
      "SERVER NAME [ARG=VALUE ...]");
}

std::shared_ptr<mcp::McpServerConnection> McpCommands::ready_server(const std::string& name) const {
  auto server = registry_->find(name);
  if (!server) throw std::runtime_error("there is no MCP server \"" + name + "\"");
  const auto state = server->status().state;
  if (state != mcp::McpServerState::Ready) {
    throw std::runtime_error("MCP server " + name + " is " + to_string(state) +
                             ", not ready (/mcp shows why)");
  }
  if (!chat_.thread) throw std::runtime_error("this needs the chat (it is not set up)");
  return server;
}

void McpCommands::in_background(std::function<std::function<void()>()> work) {
  Completion done;
  if (chat_.hold) chat_.hold(done);
  default_executor()->execute([work = std::move(work), post = post_, alive = alive_, done] {
    std::function<void()> then = work();
    post([then = std::move(then), alive, done] {
      if (*alive) then();
      done.resolve();
    });
  });
}

void McpCommands::attach(const std::string& server_name, const std::string& uri,
                         std::ostream& out) {
  auto server = ready_server(server_name);
  in_background([this, server, uri, out = &out]() -> std::function<void()> {
    try {
      auto attachment = std::make_shared<CreateAttachment>(server->attach_resource(uri));
      return [this, attachment, out, uri, server_name = server->name()] {
        const std::string name =
            attachment->name == uri ? uri : attachment->name + " (" + uri + ")";
        chat_.thread()
            .composer()
            .add_attachment(*attachment)
            .then([this, out, name, server_name](std::exception_ptr error) {
              if (error) {
                try {
                  std::rethrow_exception(error);
                } catch (const std::exception& e) {
                  *out << "error: " << safe(e.what(), 300) << '\n';
                }
              } else {
                *out << "attached " << safe(name, 100) << " from MCP server " << safe(server_name)
                     << " (" << chat_.thread().composer().attachments().size()
                     << " waiting; they go with your next message)\n";
              }
              if (chat_.prompt) chat_.prompt();
            });
      };
    } catch (const std::exception& e) {
      std::string why = "MCP server " + server->name() + " could not give " + uri + ": " + e.what();
      return [this, out, why] {
        *out << "error: " << safe(why, 300) << '\n';
        if (chat_.prompt) chat_.prompt();
      };
    }
  });
}

void McpCommands::use_prompt(const std::string& server_name, const std::string& name,
                             const Json& arguments, std::ostream& out) {
  auto server = ready_server(server_name);
  in_background([this, server, name, arguments, out = &out]() -> std::function<void()> {
    std::string text, why;
    try {
      text = server->get_prompt(name, arguments).text();
      if (text.empty()) why = "MCP server " + server->name() + "'s prompt " + name + " is empty";
    } catch (const std::exception& e) {
      why = "MCP server " + server->name() + " could not fill in the prompt " + name + ": " +
            e.what();
    }
    return [this, out, text, why, name] {
      if (!why.empty()) {
        *out << "error: " << safe(why, 300) << '\n';
        if (chat_.prompt) chat_.prompt();
        return;
      }
      // The prompt is the server's text: sent as the user's message, shown like one.
      *out << "(prompt " << safe(name, 60) << ": " << safe(text, 70) << ")\n";
      chat_.send(text);
    };
  });
}

}  // namespace aui::chat
