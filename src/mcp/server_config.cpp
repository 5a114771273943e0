// The mcpServers configuration (server_config.hpp).

#include "aui/mcp/server_config.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace aui::mcp {

namespace {

// A problem in one server: thrown while reading it, caught per server.
struct Problem {
  std::string field;
  std::string message;
};

std::string type_name(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::string: return "a string";
    case Json::value_t::array: return "a list";
    case Json::value_t::object: return "an object";
    default: return "a number";
  }
}

class ServerReader {
 public:
  ServerReader(const Json& entry, const EnvLookup& env) : entry_(entry), env_(env) {}

  std::string string_field(const char* key, bool expand = true) {
    const auto it = entry_.find(key);
    if (it == entry_.end() || it->is_null()) return {};
    if (!it->is_string()) throw Problem{key, "must be a string, not " + type_name(*it)};
    return expand ? expanded(key, it->get<std::string>()) : it->get<std::string>();
  }
  bool bool_field(const char* key) {
    const auto it = entry_.find(key);
    if (it == entry_.end() || it->is_null()) return false;
    if (!it->is_boolean()) throw Problem{key, "must be true or false, not " + type_name(*it)};
    return it->get<bool>();
  }
  std::vector<std::string> list_field(const char* key, bool expand = true) {
    std::vector<std::string> out;
    const auto it = entry_.find(key);
    if (it == entry_.end() || it->is_null()) return out;
    if (!it->is_array()) throw Problem{key, "must be a list of strings, not " + type_name(*it)};
    for (std::size_t i = 0; i < it->size(); ++i) {
      const Json& v = (*it)[i];
      const std::string field = std::string(key) + "[" + std::to_string(i) + "]";
      if (!v.is_string()) throw Problem{field, "must be a string, not " + type_name(v)};
      out.push_back(expand ? expanded(field, v.get<std::string>()) : v.get<std::string>());
    }
    return out;
  }
  std::vector<std::pair<std::string, std::string>> map_field(const char* key) {
    std::vector<std::pair<std::string, std::string>> out;
    const auto it = entry_.find(key);
    if (it == entry_.end() || it->is_null()) return out;
    if (!it->is_object())
      throw Problem{key, "must be an object of names and values, not " + type_name(*it)};
    for (const auto& [name, value] : it->items()) {
      const std::string field = std::string(key) + "." + name;
      std::string text;
      if (value.is_string()) {
        text = value.get<std::string>();
      } else if (value.is_number() || value.is_boolean()) {
        text = value.dump();
      } else {
        throw Problem{field, "must be a string, not " + type_name(value)};
      }
      out.emplace_back(name, expanded(field, text));
    }
    return out;
  }

 private:
  std::string expanded(const std::string& field, const std::string& text) {
    std::string missing;
    std::string out = expand_environment(text, env_, &missing);
    if (!missing.empty())
      throw Problem{field, "uses the environment variable " + missing + ", which is not set"};
    return out;
  }
  const Json& entry_;
  const EnvLookup& env_;
};

McpServerConfig read_server(const std::string& name, const Json& entry, const EnvLookup& env,
                            const std::filesystem::path& base) {
  if (!entry.is_object()) throw Problem{"", "must be an object, not " + type_name(entry)};
  ServerReader r(entry, env);
  McpServerConfig c;
  c.name = name;
  const std::string type = r.string_field("type", false);
  const std::string command = r.string_field("command");
  c.url = r.string_field("url");
  if (type == "sse")
    throw Problem{"type",
                  "the old HTTP+SSE transport is not supported; use the server's Streamable HTTP "
                  "endpoint (often /mcp)"};
  if (!type.empty() && type != "stdio" && type != "http" && type != "streamable-http" &&
      type != "streamableHttp")
    throw Problem{"type", "must be \"stdio\" or \"http\", not \"" + type + "\""};
  if (!command.empty() && !c.url.empty())
    throw Problem{"", "has both a command and a url; give one"};
  if (command.empty() && c.url.empty())
    throw Problem{"command", "is missing: give a command to start (or a url to connect to)"};
  if (!c.url.empty() && c.url.rfind("http://", 0) != 0 && c.url.rfind("https://", 0) != 0)
    throw Problem{"url", "must start with http:// or https://"};
  if (!command.empty()) {
    c.argv.push_back(command);
    for (auto& a : r.list_field("args")) c.argv.push_back(std::move(a));
    for (auto& [k, v] : r.map_field("env")) c.env[k] = std::move(v);
    c.cwd = r.string_field("cwd");
    if (!c.cwd.empty() && std::filesystem::path(c.cwd).is_relative() && !base.empty())
      c.cwd = (base / c.cwd).lexically_normal().string();
  } else {
    c.headers = r.map_field("headers");
  }
  c.disabled = r.bool_field("disabled");
  c.trusted = r.bool_field("trusted");
  c.allow_read_only = r.bool_field("allowReadOnly");
  for (auto& t : r.list_field("trustedTools", false)) c.trusted_tools.insert(std::move(t));
  return c;
}

}  // namespace

std::string McpConfigProblem::describe() const {
  std::string out = file.empty() ? std::string("the MCP configuration") : file;
  out += ": ";
  if (!server.empty()) {
    out += "server \"" + server + "\"";
    if (!field.empty()) out += ", field \"" + field + "\"";
    out += " ";
  }
  out += message;
  return out;
}

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  };
}

std::string expand_environment(const std::string& text, const EnvLookup& env,
                               std::string* missing) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto start = text.find("${", i);
    if (start == std::string::npos) break;
    const auto end = text.find('}', start + 2);
    if (end == std::string::npos) break;
    out.append(text, i, start - i);
    std::string name = text.substr(start + 2, end - start - 2);
    if (name.rfind("env:", 0) == 0) name = name.substr(4);
    if (auto value = env(name)) {
      out += *value;
    } else if (missing && missing->empty()) {
      *missing = name;
    }
    i = end + 1;
  }
  out.append(text, i, std::string::npos);
  return out;
}

McpConfig parse_mcp_config(const Json& document, const std::string& file, const EnvLookup& env) {
  McpConfig config;
  const std::filesystem::path base = std::filesystem::path(file).parent_path();
  auto problem = [&](std::string server, std::string field, std::string message) {
    config.problems.push_back({file, std::move(server), std::move(field), std::move(message)});
  };
  if (!document.is_object()) {
    problem("", "", "must hold a JSON object with \"mcpServers\"");
    return config;
  }
  const Json* servers = nullptr;
  for (const char* key : {"mcpServers", "servers"}) {
    if (const auto it = document.find(key); it != document.end()) {
      servers = &*it;
      break;
    }
  }
  if (!servers) {
    problem("", "", "has no \"mcpServers\" object");
    return config;
  }
  if (!servers->is_object()) {
    problem("", "", "\"mcpServers\" must be an object of servers by name");
    return config;
  }
  for (const auto& [name, entry] : servers->items()) {
    if (name.empty()) {
      problem("", "", "has a server without a name");
      continue;
    }
    try {
      config.servers.push_back(read_server(name, entry, env, base));
    } catch (const Problem& p) {
      problem(name, p.field, p.message);
    }
  }
  return config;
}

McpConfig read_mcp_config_file(const std::filesystem::path& path, const EnvLookup& env) {
  const std::string file = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    McpConfig config;
    config.problems.push_back(
        {file, "", "", std::filesystem::exists(path) ? "cannot be read" : "does not exist"});
    return config;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  Json document;
  try {
    document = Json::parse(buffer.str());
  } catch (const Json::parse_error& e) {
    McpConfig config;
    config.problems.push_back(
        {file, "", "", "is not valid JSON (at byte " + std::to_string(e.byte) + ")"});
    return config;
  }
  return parse_mcp_config(document, file, env);
}

std::optional<std::filesystem::path> default_mcp_config_path(const EnvLookup& env) {
  std::filesystem::path dir;
  if (auto xdg = env("XDG_CONFIG_HOME"); xdg && !xdg->empty()) {
    dir = *xdg;
  } else if (auto home = env("HOME"); home && !home->empty()) {
    dir = std::filesystem::path(*home) / ".config";
  } else {
    return std::nullopt;
  }
  auto path = dir / "aui" / "mcp.json";
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) return path;
  return std::nullopt;
}

}  // namespace aui::mcp
