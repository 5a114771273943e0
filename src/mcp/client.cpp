// The MCP session (client.hpp).

#include "aui/mcp/client.hpp"

#include <algorithm>
#include <set>

#include "aui/support/errors.hpp"
#include "framing.hpp"

namespace aui::mcp {

namespace {

std::string seconds_text(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + " s";
  return std::to_string(d.count()) + " ms";
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += ", ";
    out += i;
  }
  return out;
}

}  // namespace

McpClient::McpClient(std::unique_ptr<McpTransport> transport, McpClientOptions options)
    : transport_(std::move(transport)),
      options_(std::move(options)),
      clock_(options_.clock ? options_.clock : steady_mcp_clock()) {
  clock_jumps_ = clock_->on_jump([this] {
    std::lock_guard lock(mutex_);
    cv_.notify_all();
  });
}

McpClient::~McpClient() {
  close();
  clock_jumps_.unsubscribe();
}

void McpClient::log(const std::string& level, const std::string& line) {
  if (options_.log) options_.log(level, line);
}

const McpServerInfo& McpClient::connect(std::stop_token stop) {
  {
    std::lock_guard lock(mutex_);
    if (started_) throw McpError(rpc_code::InvalidRequest, "the client is already connected");
    started_ = true;
  }
  McpTransport::Handlers handlers;
  handlers.on_message = [this](Json m) { on_message(std::move(m)); };
  handlers.on_closed = [this](const std::string& why) { on_closed(why); };
  handlers.on_log = [this](const std::string& line) { log("stderr", line); };
  transport_->start(std::move(handlers));

  Json capabilities = Json::object();
  if (!options_.roots.empty()) capabilities["roots"] = {{"listChanged", false}};
  Json params = {
      {"protocolVersion", kLatestProtocolVersion},
      {"capabilities", capabilities},
      {"clientInfo", {{"name", options_.client_name}, {"version", options_.client_version}}}};
  McpRequestOptions init;
  init.stop = stop;
  init.timeout = options_.initialize_timeout;
  const Json result = request("initialize", std::move(params), init);
  McpServerInfo info = parse_server_info(result);
  const auto& versions = supported_protocol_versions();
  if (std::find(versions.begin(), versions.end(), info.protocol_version) == versions.end()) {
    const std::string why = info.protocol_version.empty()
                                ? std::string("the server did not say which MCP version it speaks")
                                : "the server speaks MCP version " + info.protocol_version +
                                      ", which aui does not support (it supports " +
                                      join(versions) + ")";
    close();
    throw McpError(rpc_code::InvalidRequest, why);
  }
  info_ = std::move(info);
  transport_->set_protocol_version(info_.protocol_version);
  notify("notifications/initialized");
  {
    std::lock_guard lock(mutex_);
    connected_ = !closed_;
  }
  return info_;
}

Json McpClient::request(const std::string& method, Json params, const McpRequestOptions& options) {
  const std::int64_t id = next_id_++;
  auto pending = std::make_shared<Pending>();
  pending->timeout = options.timeout.value_or(options_.request_timeout);
  pending->on_progress = options.on_progress;
  if (options.on_progress) {
    if (!params.is_object()) params = Json::object();
    params["_meta"]["progressToken"] = id;
  }
  {
    std::lock_guard lock(mutex_);
    if (closed_)
      throw McpError(rpc_code::ConnectionClosed,
                     closed_reason_.empty() ? "the connection is closed" : closed_reason_);
    if (!started_) throw McpError(rpc_code::ConnectionClosed, "the client is not connected");
    pending->deadline = clock_->now() + pending->timeout;
    pending_[id] = pending;
  }
  if (options.stop.stop_requested()) {
    std::lock_guard lock(mutex_);
    pending_.erase(id);
    throw Cancelled("the request was cancelled");
  }
  try {
    ++requests_sent_;
    transport_->send(make_request(id, method, std::move(params)));
  } catch (...) {
    std::lock_guard lock(mutex_);
    pending_.erase(id);
    throw;
  }

  auto cancel_at_server = [&](const std::string& reason) {
    try {
      notify("notifications/cancelled", {{"requestId", id}, {"reason", reason}});
    } catch (const std::exception&) {
      // The connection is gone: nothing to cancel.
    }
  };
  std::stop_callback wake_on_stop(options.stop, [this] {
    std::lock_guard lock(mutex_);
    cv_.notify_all();
  });
  std::unique_lock lock(mutex_);
  for (;;) {
    if (pending->done) break;
    if (options.stop.stop_requested()) {
      pending_.erase(id);
      lock.unlock();
      cancel_at_server("The user cancelled the request.");
      throw Cancelled("the request was cancelled");
    }
    if (closed_) {
      pending_.erase(id);
      throw McpError(rpc_code::ConnectionClosed,
                     closed_reason_.empty() ? "the connection is closed" : closed_reason_);
    }
    const auto now = clock_->now();
    if (now >= pending->deadline) {
      pending_.erase(id);
      lock.unlock();
      cancel_at_server("The request timed out.");
      throw McpError(rpc_code::RequestTimeout, "the server did not answer " + method + " within " +
                                                   seconds_text(pending->timeout));
    }
    cv_.wait_until(lock, std::chrono::steady_clock::now() + (pending->deadline - now));
  }
  // An error with a message of its own, not a copy of the stored one: a copied
  // std::runtime_error shares its message buffer through a reference count inside libstdc++,
  // which ThreadSanitizer cannot see, so the transport thread freeing the stored error (with
  // the last Pending) while the caller reads the message was reported as a race.
  if (pending->error)
    throw McpError(pending->error->code(), std::string(pending->error->what()),
                   pending->error->data());
  return std::move(pending->result);
}

void McpClient::notify(const std::string& method, Json params) {
  transport_->send(make_notification(method, std::move(params)));
}

void McpClient::on_message(Json message) {
  RpcMessage m = classify_rpc(message);
  switch (m.kind) {
    case RpcKind::Result:
    case RpcKind::Error: {
      std::shared_ptr<Pending> p;
      {
        std::lock_guard lock(mutex_);
        if (m.id.is_number_integer()) {
          const auto it = pending_.find(m.id.get<std::int64_t>());
          if (it != pending_.end()) {
            p = it->second;
            pending_.erase(it);
            if (m.kind == RpcKind::Result) {
              p->result = std::move(m.result);
            } else {
              p->error.emplace(m.error_code, m.error_message, std::move(m.error_data));
            }
            p->done = true;
            cv_.notify_all();
          }
        }
      }
      if (!p) {
        // Late (after a cancel or a timeout), repeated, or made up: nothing waits for it.
        log("warning",
            "ignored an answer to a request that is not waiting (id " +
                detail::excerpt(m.id.dump(), 40) + ")" +
                (m.kind == RpcKind::Error ? ": " + detail::excerpt(m.error_message) : ""));
      }
      return;
    }
    case RpcKind::Request: answer_request(m); return;
    case RpcKind::Notification: break;
    case RpcKind::Invalid: log("warning", "ignored " + m.invalid_reason); return;
  }
  if (m.method == "notifications/progress") {
    const Json& p = m.params;
    if (!p.is_object() || !p.contains("progressToken")) return;
    const Json& token = p["progressToken"];
    std::function<void(const McpProgress&)> on_progress;
    {
      std::lock_guard lock(mutex_);
      if (!token.is_number_integer()) return;
      const auto it = pending_.find(token.get<std::int64_t>());
      if (it == pending_.end()) return;
      // Progress shows the server is working: the wait starts anew.
      it->second->deadline = clock_->now() + it->second->timeout;
      on_progress = it->second->on_progress;
    }
    if (on_progress) {
      McpProgress progress;
      if (p.contains("progress") && p["progress"].is_number())
        progress.progress = p["progress"].get<double>();
      if (p.contains("total") && p["total"].is_number()) progress.total = p["total"].get<double>();
      if (p.contains("message") && p["message"].is_string())
        progress.message = p["message"].get<std::string>();
      on_progress(progress);
    }
    return;
  }
  if (m.method == "notifications/message") {
    const Json& p = m.params;
    std::string level = p.is_object() ? p.value("level", std::string("info")) : "info";
    std::string text;
    if (p.is_object() && p.contains("data"))
      text = p["data"].is_string() ? p["data"].get<std::string>() : p["data"].dump();
    if (p.is_object() && p.contains("logger") && p["logger"].is_string())
      text = p["logger"].get<std::string>() + ": " + text;
    log(level, text);
    return;
  }
  if (m.method == "notifications/cancelled") return;  // the server gave up a request of its own
  if (options_.on_notification) options_.on_notification(m.method, m.params);
}

void McpClient::answer_request(const RpcMessage& m) {
  Json reply;
  if (m.method == "ping") {
    reply = make_result(m.id, Json::object());
  } else if (m.method == "roots/list" && !options_.roots.empty()) {
    Json roots = Json::array();
    for (const auto& [uri, name] : options_.roots) {
      Json r = {{"uri", uri}};
      if (!name.empty()) r["name"] = name;
      roots.push_back(std::move(r));
    }
    reply = make_result(m.id, {{"roots", std::move(roots)}});
  } else {
    // Sampling and elicitation are not offered (the capabilities said so).
    reply = make_error(m.id, rpc_code::MethodNotFound, "aui does not support " + m.method);
  }
  try {
    transport_->send(reply);
  } catch (const std::exception&) {
  }
}

void McpClient::on_closed(const std::string& why) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
    connected_ = false;
    closed_reason_ = why;
    cv_.notify_all();
  }
  log("error", why);
  if (options_.on_closed) options_.on_closed(why);
}

void McpClient::close() {
  {
    std::lock_guard lock(mutex_);
    if (!closed_) {
      closed_ = true;
      closed_reason_ = "the connection was closed";
    }
    connected_ = false;
    cv_.notify_all();
  }
  transport_->close();
}

bool McpClient::is_connected() const {
  std::lock_guard lock(mutex_);
  return connected_ && !closed_;
}

std::string McpClient::closed_reason() const {
  std::lock_guard lock(mutex_);
  return closed_ ? closed_reason_ : std::string();
}

template <class T>
std::vector<T> McpClient::list_all(const std::string& method, const char* key,
                                   T (*parse)(const Json&), const McpRequestOptions& options) {
  std::vector<T> items;
  std::set<std::string> seen_cursors;
  Json cursor = nullptr;
  for (;;) {
    Json params = Json::object();
    if (!cursor.is_null()) params["cursor"] = cursor;
    const Json page = request(method, std::move(params), options);
    if (page.is_object() && page.contains(key) && page[key].is_array()) {
      for (const auto& item : page[key]) {
        try {
          items.push_back(parse(item));
        } catch (const McpError& e) {
          log("warning", std::string("ignored an item of ") + method + ": " + e.what());
        }
      }
    }
    if (!page.is_object() || !page.contains("nextCursor") || !page["nextCursor"].is_string()) break;
    cursor = page["nextCursor"];
    // A server that hands out the same cursor again would have us list forever.
    if (!seen_cursors.insert(cursor.get<std::string>()).second) {
      log("warning", method + ": the server repeated a page cursor; stopped listing");
      break;
    }
  }
  return items;
}

std::vector<McpTool> McpClient::list_tools(const McpRequestOptions& options) {
  return list_all<McpTool>("tools/list", "tools", &parse_tool, options);
}
std::vector<McpResource> McpClient::list_resources(const McpRequestOptions& options) {
  return list_all<McpResource>("resources/list", "resources", &parse_resource, options);
}
std::vector<McpResourceTemplate> McpClient::list_resource_templates(
    const McpRequestOptions& options) {
  return list_all<McpResourceTemplate>("resources/templates/list", "resourceTemplates",
                                       &parse_resource_template, options);
}
std::vector<McpPrompt> McpClient::list_prompts(const McpRequestOptions& options) {
  return list_all<McpPrompt>("prompts/list", "prompts", &parse_prompt, options);
}

Json McpClient::call_tool(const std::string& name, const Json& arguments,
                          const McpRequestOptions& options) {
  Json result = request(
      "tools/call",
      {{"name", name}, {"arguments", arguments.is_null() ? Json::object() : arguments}}, options);
  if (!result.is_object())
    throw McpError(rpc_code::InvalidParams, "the server's answer to tools/call is not an object");
  return result;
}

std::vector<McpResourceContents> McpClient::read_resource(const std::string& uri,
                                                          const McpRequestOptions& options) {
  const Json result = request("resources/read", {{"uri", uri}}, options);
  std::vector<McpResourceContents> out;
  if (result.is_object() && result.contains("contents") && result["contents"].is_array()) {
    for (const auto& c : result["contents"]) out.push_back(parse_resource_contents(c));
  }
  return out;
}

McpPromptResult McpClient::get_prompt(const std::string& name, const Json& arguments,
                                      const McpRequestOptions& options) {
  Json params = {{"name", name}};
  if (arguments.is_object() && !arguments.empty()) params["arguments"] = arguments;
  return parse_prompt_result(request("prompts/get", std::move(params), options));
}

void McpClient::set_log_level(const std::string& level) {
  request("logging/setLevel", {{"level", level}});
}

void McpClient::ping(const McpRequestOptions& options) { request("ping", nullptr, options); }

}  // namespace aui::mcp
