// One configured MCP server (server_connection.hpp).
//
// Threads: start() and the reactions to the server (it closed, its lists changed) run as jobs on
// the executor; the transport's thread only posts them there, so the connection is never
// destroyed on a transport thread (which would have to join itself). Tool calls run on the
// runtime's workers.

#include "aui/mcp/server_connection.hpp"

#include <cstdio>
#include <set>

#include "aui/mcp/http_transport.hpp"
#include "aui/mcp/stdio_transport.hpp"
#include "aui/runtime/json_schema.hpp"
#include "aui/support/errors.hpp"

namespace aui::mcp {

struct McpServerConnection::Listeners {
  std::mutex mutex;
  std::map<int, std::function<void()>> callbacks;
  int next = 0;
};

namespace {

bool safe_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

std::string clean(std::string s) {
  for (char& c : s) {
    if (!safe_char(c)) c = '_';
  }
  return s;
}

std::string hash8(const std::string& text) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : text) {
    h ^= c;
    h *= 16777619u;
  }
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", h);
  return buf;
}

McpToolResult error_result(std::string text) {
  McpToolResult r;
  r.is_error = true;
  r.text = std::move(text);
  return r;
}

std::unique_ptr<McpTransport> default_transport(const McpServerConfig& config,
                                                const McpConnectionOptions& options) {
  if (config.is_http()) {
    HttpServerParams p;
    p.url = config.url;
    p.headers = config.headers;
    p.max_message_bytes = options.max_message_bytes;
    return make_http_transport(std::move(p));
  }
  StdioServerParams p;
  p.argv = config.argv;
  p.env = config.env;
  p.cwd = config.cwd;
  p.max_message_bytes = options.max_message_bytes;
  p.exit_grace = options.exit_grace;
  p.term_grace = options.term_grace;
  return make_stdio_transport(std::move(p));
}

}  // namespace

const char* to_string(McpServerState state) noexcept {
  switch (state) {
    case McpServerState::Stopped: return "stopped";
    case McpServerState::Starting: return "starting";
    case McpServerState::Ready: return "ready";
    case McpServerState::Failed: return "failed";
  }
  return "?";
}

std::string model_tool_name(const std::string& server, const std::string& tool) {
  std::string name = clean(server) + "__" + clean(tool);
  if (name.size() > 64) name = name.substr(0, 55) + "_" + hash8(server + '\n' + tool);
  return name;
}

std::shared_ptr<McpServerConnection> McpServerConnection::create(McpServerConfig config,
                                                                 McpConnectionOptions options) {
  return std::shared_ptr<McpServerConnection>(
      new McpServerConnection(std::move(config), std::move(options)));
}

McpServerConnection::McpServerConnection(McpServerConfig config, McpConnectionOptions options)
    : config_(std::move(config)),
      options_(std::move(options)),
      executor_(options_.executor ? options_.executor : default_executor()),
      listeners_(std::make_shared<Listeners>()) {}

McpServerConnection::~McpServerConnection() { stop(); }

void McpServerConnection::log(const std::string& level, const std::string& line) const {
  if (options_.log) options_.log(config_.name, level, line);
}

void McpServerConnection::changed() {
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard lock(listeners_->mutex);
    for (const auto& [id, f] : listeners_->callbacks) callbacks.push_back(f);
  }
  for (const auto& f : callbacks) f();
}

Subscription McpServerConnection::subscribe(std::function<void()> on_change) {
  std::lock_guard lock(listeners_->mutex);
  const int id = listeners_->next++;
  listeners_->callbacks.emplace(id, std::move(on_change));
  return Subscription([weak = std::weak_ptr<Listeners>(listeners_), id] {
    if (auto l = weak.lock()) {
      std::lock_guard guard(l->mutex);
      l->callbacks.erase(id);
    }
  });
}

void McpServerConnection::start() {
  std::shared_ptr<McpClient> old;
  std::uint64_t generation;
  std::stop_token stop;
  {
    std::lock_guard lock(mutex_);
    start_stop_.request_stop();
    start_stop_ = std::stop_source();
    stop = start_stop_.get_token();
    generation = ++generation_;
    old = std::move(client_);
    state_ = McpServerState::Starting;
    error_.clear();
    info_ = {};
    ++starts_;
    set_tools({});
    resources_.clear();
    templates_.clear();
    prompts_.clear();
  }
  changed();
  log("info", "starting " + (config_.is_http() ? config_.url.substr(0, config_.url.find('?'))
                                               : config_.argv.front()));
  executor_->execute([weak = weak_from_this(), generation, stop, old = std::move(old)]() mutable {
    if (old) old->close();
    old.reset();
    if (auto self = weak.lock()) self->run_start(generation, stop);
  });
}

void McpServerConnection::run_start(std::uint64_t generation, std::stop_token stop) {
  std::shared_ptr<McpClient> client;
  try {
    auto transport = options_.make_transport ? options_.make_transport(config_)
                                             : default_transport(config_, options_);
    McpClientOptions co = options_.client;
    // The transport's thread never touches the connection itself: log lines go straight to the
    // app, everything else is a job on the executor.
    co.log = [log = options_.log, server = config_.name](const std::string& level,
                                                         const std::string& line) {
      if (log) log(server, level, line);
    };
    auto weak = weak_from_this();
    co.on_closed = [weak, executor = executor_, generation](const std::string& why) {
      executor->execute([weak, generation, why] {
        if (auto self = weak.lock()) self->on_closed(generation, why);
      });
    };
    co.on_notification = [weak, executor = executor_, generation](const std::string& method,
                                                                  const Json&) {
      executor->execute([weak, generation, method] {
        if (auto self = weak.lock()) self->on_notification(generation, method);
      });
    };
    client = std::make_shared<McpClient>(std::move(transport), std::move(co));
    {
      std::lock_guard lock(mutex_);
      if (generation != generation_) return;
      connecting_ = client;
    }
    const McpServerInfo info = client->connect(stop);
    McpRequestOptions ro;
    ro.stop = stop;
    std::vector<McpTool> tools;
    std::vector<McpResource> resources;
    std::vector<McpResourceTemplate> templates;
    std::vector<McpPrompt> prompts;
    if (info.has_tools()) tools = client->list_tools(ro);
    // Resources and prompts are extras: a server that fails to list them still offers its tools.
    auto optional_list = [&](const char* what, auto&& list) {
      try {
        list();
      } catch (const Cancelled&) {
        throw;
      } catch (const std::exception& e) {
        log("warning", std::string("could not list its ") + what + ": " + e.what());
      }
    };
    if (info.has_resources()) {
      optional_list("resources", [&] { resources = client->list_resources(ro); });
      optional_list("resource templates", [&] { templates = client->list_resource_templates(ro); });
    }
    if (info.has_prompts()) optional_list("prompts", [&] { prompts = client->list_prompts(ro); });
    std::size_t tool_count = 0;
    {
      std::lock_guard lock(mutex_);
      if (generation != generation_) {
        connecting_.reset();
        client->close();
        return;
      }
      connecting_.reset();
      client_ = client;
      info_ = info;
      set_tools(std::move(tools));
      tool_count = tools_.size();
      resources_ = std::move(resources);
      templates_ = std::move(templates);
      prompts_ = std::move(prompts);
      state_ = McpServerState::Ready;
      settled_.notify_all();
    }
    log("info",
        "ready (" + std::to_string(tool_count) + " tools, MCP " + info.protocol_version + ")");
    changed();
  } catch (const std::exception& e) {
    if (client) client->close();
    const bool cancelled = dynamic_cast<const Cancelled*>(&e) != nullptr;
    {
      std::lock_guard lock(mutex_);
      connecting_.reset();
      if (generation != generation_) return;
      state_ = cancelled ? McpServerState::Stopped : McpServerState::Failed;
      error_ = cancelled ? std::string() : std::string(e.what());
      settled_.notify_all();
    }
    if (!cancelled) log("error", std::string("failed: ") + e.what());
    changed();
  }
}

void McpServerConnection::on_closed(std::uint64_t generation, const std::string& why) {
  std::shared_ptr<McpClient> gone;
  {
    std::lock_guard lock(mutex_);
    if (generation != generation_ || state_ != McpServerState::Ready) return;
    gone = std::move(client_);
    state_ = McpServerState::Failed;
    error_ = why;
    set_tools({});
    resources_.clear();
    templates_.clear();
    prompts_.clear();
    settled_.notify_all();
  }
  log("error", "stopped: " + why);
  changed();
  if (gone) gone->close();  // reaps the process
}

void McpServerConnection::on_notification(std::uint64_t generation, const std::string& method) {
  if (method == "notifications/tools/list_changed") {
    refresh(generation, "tools");
  } else if (method == "notifications/resources/list_changed") {
    refresh(generation, "resources");
  } else if (method == "notifications/prompts/list_changed") {
    refresh(generation, "prompts");
  }
}

void McpServerConnection::refresh(std::uint64_t generation, const std::string& what) {
  std::shared_ptr<McpClient> client;
  {
    std::lock_guard lock(mutex_);
    if (generation != generation_ || state_ != McpServerState::Ready) return;
    client = client_;
  }
  try {
    if (what == "tools") {
      auto tools = client->list_tools();
      std::lock_guard lock(mutex_);
      if (generation != generation_ || state_ != McpServerState::Ready) return;
      set_tools(std::move(tools));
      ++tool_lists_;
    } else if (what == "resources") {
      auto resources = client->list_resources();
      auto templates = client->list_resource_templates();
      std::lock_guard lock(mutex_);
      if (generation != generation_) return;
      resources_ = std::move(resources);
      templates_ = std::move(templates);
    } else {
      auto prompts = client->list_prompts();
      std::lock_guard lock(mutex_);
      if (generation != generation_) return;
      prompts_ = std::move(prompts);
    }
  } catch (const std::exception& e) {
    log("warning", "could not list its " + what + " again: " + e.what());
    return;
  }
  log("info", "its " + what + " changed");
  changed();
}

void McpServerConnection::set_tools(std::vector<McpTool> tools) {
  tools_.clear();
  auto kit = std::make_shared<Toolkit>();
  std::set<std::string> used;
  const auto weak = weak_from_this();
  for (auto& tool : tools) {
    std::string model_name = model_tool_name(config_.name, tool.name);
    for (int n = 2; used.count(model_name); ++n) {
      std::string suffix = "_" + std::to_string(n);
      model_name = model_tool_name(config_.name, tool.name).substr(0, 64 - suffix.size()) + suffix;
    }
    used.insert(model_name);
    McpServerTool entry;
    entry.model_name = model_name;
    entry.needs_approval =
        !(config_.trusted || config_.trusted_tools.count(tool.name) ||
          (config_.allow_read_only && tool.annotations.read_only.value_or(false)));
    Tool t;
    t.description = tool.description.empty() ? tool.title : tool.description;
    t.parameters = tool.input_schema;
    t.needs_approval = entry.needs_approval;
    t.execute = [weak, name = tool.name](const Json& args,
                                         const ToolInvocation& invocation) -> ToolOutput {
      auto self = weak.lock();
      if (!self)
        return ToolOutput::error(Json("The MCP server of this tool is no longer configured."));
      return self->execute_tool(name, args, invocation);
    };
    (*kit)[model_name] = std::move(t);
    entry.tool = std::move(tool);
    tools_.push_back(std::move(entry));
  }
  toolkit_ = std::move(kit);
}

ToolOutput McpServerConnection::execute_tool(const std::string& tool, const Json& arguments,
                                             const ToolInvocation& invocation) {
  return call_tool(tool, arguments, invocation.stop_token, invocation.tool_call_id)
      .to_tool_output(config_.name, tool);
}

McpToolResult McpServerConnection::call_tool(const std::string& tool, const Json& arguments,
                                             std::stop_token stop,
                                             const std::string& tool_call_id) {
  std::shared_ptr<McpClient> client;
  Json input_schema, output_schema;
  std::string not_running;
  {
    std::lock_guard lock(mutex_);
    client = client_;
    if (!client || state_ != McpServerState::Ready) {
      client.reset();
      not_running = "The MCP server \"" + config_.name + "\" is not running";
      if (state_ == McpServerState::Starting) not_running += " yet (it is starting)";
      if (state_ == McpServerState::Failed && !error_.empty()) not_running += ": " + error_;
      not_running += ".";
    }
    for (const auto& t : tools_) {
      if (t.tool.name == tool) {
        input_schema = t.tool.input_schema;
        output_schema = t.tool.output_schema;
      }
    }
  }
  if (!client) return error_result(not_running);
  const Json args = arguments.is_null() ? Json::object() : arguments;
  if (auto bad = validate_json(input_schema, args))
    return error_result("Invalid arguments for the tool \"" + tool + "\": " + bad->describe());
  McpRequestOptions ro;
  ro.stop = stop;
  if (options_.on_progress) {
    ro.on_progress = [cb = options_.on_progress, server = config_.name, tool,
                      tool_call_id](const McpProgress& p) {
      cb(McpToolProgress{server, tool, tool_call_id, p});
    };
  }
  Json raw;
  try {
    raw = client->call_tool(tool, args, ro);
  } catch (const Cancelled&) {
    throw;
  } catch (const std::exception& e) {
    return error_result("The MCP server \"" + config_.name + "\" could not run the tool \"" + tool +
                        "\": " + e.what());
  }
  return read_tool_result(raw, output_schema);
}

std::vector<McpResourceContents> McpServerConnection::read_resource(const std::string& uri,
                                                                    std::stop_token stop) {
  auto c = client();
  if (!c)
    throw McpError(rpc_code::ConnectionClosed,
                   "the MCP server \"" + config_.name + "\" is not running");
  McpRequestOptions ro;
  ro.stop = stop;
  return c->read_resource(uri, ro);
}

McpPromptResult McpServerConnection::get_prompt(const std::string& name, const Json& arguments,
                                                std::stop_token stop) {
  auto c = client();
  if (!c)
    throw McpError(rpc_code::ConnectionClosed,
                   "the MCP server \"" + config_.name + "\" is not running");
  McpRequestOptions ro;
  ro.stop = stop;
  return c->get_prompt(name, arguments, ro);
}

void McpServerConnection::stop() {
  std::shared_ptr<McpClient> old, connecting;
  bool was_stopped;
  {
    std::lock_guard lock(mutex_);
    start_stop_.request_stop();
    ++generation_;
    old = std::move(client_);
    connecting = std::move(connecting_);
    was_stopped = state_ == McpServerState::Stopped;
    state_ = McpServerState::Stopped;
    error_.clear();
    set_tools({});
    resources_.clear();
    templates_.clear();
    prompts_.clear();
    settled_.notify_all();
  }
  if (connecting) connecting->close();
  if (old) old->close();
  if (!was_stopped) changed();
}

McpServerState McpServerConnection::wait_settled(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  settled_.wait_for(lock, timeout, [&] { return state_ != McpServerState::Starting; });
  return state_;
}

McpServerConnection::Status McpServerConnection::status() const {
  std::lock_guard lock(mutex_);
  return Status{state_, error_, info_, starts_, tool_lists_};
}

std::vector<McpServerTool> McpServerConnection::tools() const {
  std::lock_guard lock(mutex_);
  return tools_;
}
std::vector<McpResource> McpServerConnection::resources() const {
  std::lock_guard lock(mutex_);
  return resources_;
}
std::vector<McpResourceTemplate> McpServerConnection::resource_templates() const {
  std::lock_guard lock(mutex_);
  return templates_;
}
std::vector<McpPrompt> McpServerConnection::prompts() const {
  std::lock_guard lock(mutex_);
  return prompts_;
}
std::optional<McpServerTool> McpServerConnection::find_tool(const std::string& model_name) const {
  std::lock_guard lock(mutex_);
  for (const auto& t : tools_) {
    if (t.model_name == model_name) return t;
  }
  return std::nullopt;
}
std::shared_ptr<const Toolkit> McpServerConnection::toolkit() const {
  std::lock_guard lock(mutex_);
  return toolkit_;
}
std::shared_ptr<McpClient> McpServerConnection::client() const {
  std::lock_guard lock(mutex_);
  return state_ == McpServerState::Ready ? client_ : nullptr;
}

std::string McpServerConnection::system_prompt() const {
  constexpr std::size_t kMaxInstructions = 8'000;
  std::string instructions;
  {
    std::lock_guard lock(mutex_);
    if (state_ != McpServerState::Ready) return {};
    instructions = info_.instructions;
  }
  while (!instructions.empty() &&
         (instructions.back() == '\n' || instructions.back() == ' ' || instructions.back() == '\r'))
    instructions.pop_back();
  if (instructions.empty()) return {};
  if (instructions.size() > kMaxInstructions) {
    std::size_t cut = kMaxInstructions;
    while (cut > 0 && (static_cast<unsigned char>(instructions[cut]) & 0xC0) == 0x80) --cut;
    instructions.resize(cut);
    instructions += "…";
  }
  return "Instructions from the MCP server " + config_.name + ":\n" + instructions;
}

CreateAttachment McpServerConnection::attach_resource(const std::string& uri,
                                                      std::stop_token stop) {
  auto contents = read_resource(uri, std::move(stop));
  std::string name;
  for (const auto& r : resources()) {
    if (r.uri == uri) name = !r.title.empty() ? r.title : r.name;
  }
  return resource_attachment(config_.name, uri, contents, name);
}

Subscription McpServerConnection::register_with(ThreadRuntime& thread) {
  // `alive` turns false on the thread's owner when the provider goes: unregistered, or the
  // thread destroyed with its providers. The posted notifications check it there.
  struct Guard {
    std::shared_ptr<bool> alive;
    ~Guard() { *alive = false; }
  };
  auto alive = std::make_shared<bool>(true);
  auto guard = std::shared_ptr<Guard>(new Guard{alive});
  auto provider =
      thread.register_model_context_provider([weak = weak_from_this(), guard]() -> ModelContext {
        ModelContext context;
        if (auto self = weak.lock()) {
          context.tools = *self->toolkit();
          if (self->options_.instructions_in_system_prompt) context.system = self->system_prompt();
        }
        return context;
      });
  guard.reset();
  ThreadRuntime* target = &thread;
  auto changes = subscribe([dispatcher = thread.options().dispatcher, alive, target] {
    dispatcher->post([alive, target] {
      if (*alive) target->notify_model_context_changed();
    });
  });
  auto both = std::make_shared<std::pair<Subscription, Subscription>>(std::move(provider),
                                                                      std::move(changes));
  return Subscription([both] {
    both->second.unsubscribe();
    both->first.unsubscribe();
  });
}

}  // namespace aui::mcp
