// Every configured server (registry.hpp).

#include "aui/mcp/registry.hpp"

#include <thread>

namespace aui::mcp {

std::shared_ptr<McpRegistry> McpRegistry::from_config_file(const std::filesystem::path& path,
                                                           McpConnectionOptions options) {
  auto registry = std::make_shared<McpRegistry>(read_mcp_config_file(path), std::move(options));
  registry->start_all();
  return registry;
}

McpRegistry::McpRegistry(McpConfig config, McpConnectionOptions options)
    : problems_(std::move(config.problems)) {
  for (auto& server : config.servers)
    servers_.push_back(McpServerConnection::create(std::move(server), options));
}

McpRegistry::~McpRegistry() { stop_all(); }

void McpRegistry::start_all() {
  // start() only schedules the start on the executor: the servers come up side by side.
  for (const auto& s : servers_) {
    if (!s->config().disabled) s->start();
  }
}

void McpRegistry::stop_all() {
  // Each stop may wait for a slow server to exit: stop them side by side.
  std::vector<std::thread> stopping;
  for (const auto& s : servers_) {
    if (s->status().state == McpServerState::Stopped) continue;
    stopping.emplace_back([s] { s->stop(); });
  }
  for (auto& t : stopping) t.join();
}

bool McpRegistry::wait_settled(std::chrono::milliseconds timeout) const {
  const auto end = std::chrono::steady_clock::now() + timeout;
  for (const auto& s : servers_) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        end - std::chrono::steady_clock::now());
    if (s->wait_settled(std::max(left, std::chrono::milliseconds(0))) == McpServerState::Starting)
      return false;
  }
  return true;
}

std::shared_ptr<McpServerConnection> McpRegistry::find(const std::string& name) const {
  for (const auto& s : servers_) {
    if (s->name() == name) return s;
  }
  return nullptr;
}

bool McpRegistry::restart(const std::string& name) {
  auto s = find(name);
  if (!s) return false;
  s->start();
  return true;
}

std::optional<McpRegistry::ToolRef> McpRegistry::find_tool(const std::string& model_name) const {
  for (const auto& s : servers_) {
    if (auto t = s->find_tool(model_name)) return ToolRef{s->name(), std::move(*t)};
  }
  return std::nullopt;
}

Subscription McpRegistry::register_with(ThreadRuntime& thread) {
  auto all = std::make_shared<std::vector<Subscription>>();
  for (const auto& s : servers_) all->push_back(s->register_with(thread));
  return Subscription([all] { all->clear(); });
}

Subscription McpRegistry::subscribe(std::function<void()> on_change) {
  auto all = std::make_shared<std::vector<Subscription>>();
  for (const auto& s : servers_) all->push_back(s->subscribe(on_change));
  return Subscription([all] { all->clear(); });
}

}  // namespace aui::mcp
