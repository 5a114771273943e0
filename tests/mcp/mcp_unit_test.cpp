// aui::mcp pieces that need no server: JSON-RPC framing, line splitting, the configuration,
// tool results and tool names.

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <map>

#include "aui/mcp/json_rpc.hpp"
#include "aui/mcp/resource_attachment.hpp"
#include "aui/mcp/server_config.hpp"
#include "aui/mcp/server_connection.hpp"
#include "aui/mcp/tool_result.hpp"
#include "framing.hpp"

namespace aui::mcp {
namespace {

TEST(JsonRpc, ClassifiesEveryKindOfMessage) {
  EXPECT_EQ(classify_rpc(make_request(1, "tools/list", Json::object())).kind, RpcKind::Request);
  EXPECT_EQ(classify_rpc(make_notification("notifications/initialized")).kind,
            RpcKind::Notification);
  const auto result = classify_rpc(make_result("a", {{"x", 1}}));
  EXPECT_EQ(result.kind, RpcKind::Result);
  EXPECT_EQ(result.id, "a");
  EXPECT_EQ(result.result["x"], 1);
  const auto error = classify_rpc(make_error(7, rpc_code::MethodNotFound, "no such method"));
  EXPECT_EQ(error.kind, RpcKind::Error);
  EXPECT_EQ(error.error_code, -32601);
  EXPECT_EQ(error.error_message, "no such method");
}

TEST(JsonRpc, RejectsWhatIsNotJsonRpc) {
  EXPECT_EQ(classify_rpc(Json::array()).kind, RpcKind::Invalid);
  EXPECT_EQ(classify_rpc({{"id", 1}, {"result", 1}}).kind, RpcKind::Invalid);  // no "jsonrpc"
  EXPECT_EQ(classify_rpc({{"jsonrpc", "2.0"}, {"id", 1}}).kind, RpcKind::Invalid);
  EXPECT_EQ(classify_rpc({{"jsonrpc", "2.0"}, {"id", 1.5}, {"result", 1}}).kind, RpcKind::Invalid);
  EXPECT_EQ(classify_rpc({{"jsonrpc", "2.0"}, {"id", 1}, {"result", 1}, {"error", {}}}).kind,
            RpcKind::Invalid);
  EXPECT_EQ(classify_rpc({{"jsonrpc", "2.0"}, {"method", 3}}).kind, RpcKind::Invalid);
  // An error about a request the peer could not read has a null id: still an error.
  EXPECT_EQ(classify_rpc({{"jsonrpc", "2.0"}, {"id", nullptr}, {"error", {{"code", -32700}}}}).kind,
            RpcKind::Error);
}

TEST(Framing, SplitsLinesAndDropsOversizedOnesKeepingTheirId) {
  std::vector<std::string> lines;
  std::vector<std::optional<Json>> oversized;
  detail::LineSplitter splitter(
      64, [&](std::string_view l) { lines.emplace_back(l); },
      [&](std::string_view head, std::string_view tail, std::size_t size) {
        EXPECT_GT(size, 64u);
        oversized.push_back(detail::find_id_hint(head, tail));
      });
  splitter.feed("{\"a\":1}\r\n{\"b\"");
  splitter.feed(":2}\n");
  const std::string big =
      "{\"jsonrpc\": \"2.0\", \"id\": 42, \"result\": \"" + std::string(500, 'x') + "\"}\n";
  for (std::size_t i = 0; i < big.size(); i += 7) splitter.feed(big.substr(i, 7));
  splitter.feed("{\"c\":3}");
  splitter.finish();
  EXPECT_EQ(lines, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", "{\"c\":3}"}));
  ASSERT_EQ(oversized.size(), 1u);
  EXPECT_EQ(oversized[0], Json(42));
  // The id may also come last, as JavaScript servers write it.
  EXPECT_EQ(
      detail::find_id_hint("{\"result\":{\"content\":[", "xxx\"}]},\"jsonrpc\":\"2.0\",\"id\":7}"),
      Json(7));
  EXPECT_EQ(detail::find_id_hint("no id here", "none"), std::nullopt);
}

// ---- configuration ----

EnvLookup env_of(std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

TEST(Config, ReadsTheClaudeDesktopShapeWithOurTrustFields) {
  const Json doc = Json::parse(R"({"mcpServers": {
    "fs": {"command": "npx", "args": ["-y", "server-filesystem", "${HOME}/notes"],
           "env": {"DEBUG": "1", "PORT": 8080}, "cwd": "work", "allowReadOnly": true},
    "web": {"url": "https://example.com/mcp", "headers": {"Authorization": "Bearer ${env:TOKEN}"},
            "trusted": true, "trustedTools": ["search"]},
    "off": {"command": "x", "disabled": true}}})");
  const McpConfig c = parse_mcp_config(doc, "/etc/aui/mcp.json",
                                       env_of({{"HOME", "/home/a"}, {"TOKEN", "s3cret"}}));
  ASSERT_TRUE(c.problems.empty()) << c.problems[0].describe();
  ASSERT_EQ(c.servers.size(), 3u);  // by name
  const auto& fs = c.servers[0];
  EXPECT_EQ(fs.name, "fs");
  EXPECT_EQ(fs.argv, (std::vector<std::string>{"npx", "-y", "server-filesystem", "/home/a/notes"}));
  EXPECT_EQ(fs.env.at("PORT"), "8080");
  EXPECT_EQ(fs.cwd, "/etc/aui/work");  // relative to the file
  EXPECT_TRUE(fs.allow_read_only);
  EXPECT_FALSE(fs.trusted);
  const auto& web = c.servers[2];
  EXPECT_TRUE(web.is_http());
  EXPECT_EQ(web.headers.at(0),
            (std::pair<std::string, std::string>{"Authorization", "Bearer s3cret"}));
  EXPECT_TRUE(web.trusted);
  EXPECT_EQ(web.trusted_tools.count("search"), 1u);
  EXPECT_TRUE(c.servers[1].disabled);
}

TEST(Config, NamesTheFileServerAndFieldOfEachProblemAndKeepsTheOtherServers) {
  const Json doc = Json::parse(R"({"servers": {
    "good": {"type": "stdio", "command": "a"},
    "noenv": {"url": "https://x/mcp", "headers": {"Authorization": "Bearer ${MISSING_TOKEN}"}},
    "badargs": {"command": "a", "args": ["ok", 3]},
    "both": {"command": "a", "url": "http://x"},
    "none": {},
    "sse": {"type": "sse", "url": "http://x/sse"},
    "badurl": {"url": "ftp://x"}}})");
  const McpConfig c = parse_mcp_config(doc, "mcp.json", env_of({}));
  ASSERT_EQ(c.servers.size(), 1u);
  EXPECT_EQ(c.servers[0].name, "good");
  std::map<std::string, std::string> problems;
  for (const auto& p : c.problems) problems[p.server] = p.describe();
  EXPECT_EQ(problems["noenv"],
            "mcp.json: server \"noenv\", field \"headers.Authorization\" uses the environment "
            "variable MISSING_TOKEN, which is not set");
  EXPECT_EQ(problems["badargs"],
            "mcp.json: server \"badargs\", field \"args[1]\" must be a string, not a number");
  EXPECT_NE(problems["both"].find("has both a command and a url"), std::string::npos);
  EXPECT_NE(problems["none"].find("field \"command\" is missing"), std::string::npos);
  EXPECT_NE(problems["sse"].find("not supported"), std::string::npos);
  EXPECT_NE(problems["badurl"].find("field \"url\" must start with http"), std::string::npos);
}

TEST(Config, AFileThatIsMissingOrNotJsonIsOneProblem) {
  auto missing = read_mcp_config_file("/nonexistent/aui/mcp.json");
  ASSERT_EQ(missing.problems.size(), 1u);
  EXPECT_EQ(missing.problems[0].describe(), "/nonexistent/aui/mcp.json: does not exist");
  const auto dir =
      std::filesystem::temp_directory_path() / ("aui-mcp-config-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  { std::ofstream(dir / "mcp.json") << "{\"mcpServers\": {\"a\": "; }
  auto broken = read_mcp_config_file(dir / "mcp.json");
  ASSERT_EQ(broken.problems.size(), 1u);
  EXPECT_NE(broken.problems[0].describe().find("is not valid JSON"), std::string::npos);
  EXPECT_EQ(default_mcp_config_path(env_of({{"XDG_CONFIG_HOME", dir.string()}})), std::nullopt);
  std::filesystem::create_directories(dir / "aui");
  std::filesystem::copy_file(dir / "mcp.json", dir / "aui" / "mcp.json");
  EXPECT_EQ(default_mcp_config_path(env_of({{"XDG_CONFIG_HOME", dir.string()}})),
            dir / "aui" / "mcp.json");
  std::filesystem::remove_all(dir);
}

// ---- tool results ----

TEST(ToolResult, TakesEveryContentTypeApart) {
  const Json raw = Json::parse(R"({"content": [
    {"type": "text", "text": "first"},
    {"type": "image", "data": "iVBORw0KGgo=", "mimeType": "image/png"},
    {"type": "audio", "data": "UklGRg==", "mimeType": "audio/wav"},
    {"type": "resource_link", "uri": "file:///a.txt", "name": "a.txt", "mimeType": "text/plain"},
    {"type": "resource", "resource": {"uri": "demo://1", "mimeType": "text/plain", "text": "inside"}},
    {"type": "resource", "resource": {"uri": "demo://2", "mimeType": "application/gzip", "blob": "AAAA"}},
    {"type": "text", "text": "second"}]})");
  const McpToolResult r = read_tool_result(raw);
  EXPECT_FALSE(r.is_error);
  EXPECT_EQ(r.text, "first\nsecond");
  ASSERT_EQ(r.images.size(), 1u);
  EXPECT_EQ(r.images[0].image, "data:image/png;base64,iVBORw0KGgo=");
  ASSERT_EQ(r.links.size(), 1u);
  EXPECT_EQ(r.links[0].uri, "file:///a.txt");
  ASSERT_EQ(r.resources.size(), 2u);
  EXPECT_EQ(r.resources[0].text, "inside");
  const std::string model = r.model_text();
  EXPECT_NE(model.find("Resource link: a.txt <file:///a.txt> (text/plain)"), std::string::npos);
  EXPECT_NE(model.find("Resource demo://1 (text/plain):\ninside"), std::string::npos);
  EXPECT_NE(model.find("[resource demo://2: application/gzip, 3 bytes]"), std::string::npos);
  EXPECT_NE(model.find("[image image/png, 8 bytes]"), std::string::npos);
  EXPECT_NE(model.find("[audio audio/wav"), std::string::npos);

  const ToolOutput out = r.to_tool_output("srv", "tool");
  EXPECT_EQ(out.result, Json(model));
  ASSERT_TRUE(out.model_content.is_array());
  EXPECT_EQ(out.model_content[1]["mediaType"], "image/png");
  EXPECT_EQ(out.model_content[2]["mediaType"], "audio/wav");
  EXPECT_EQ((*out.artifact)["server"], "srv");
  EXPECT_EQ((*out.artifact)["resourceLinks"][0]["uri"], "file:///a.txt");
}

TEST(ToolResult, ChecksStructuredContentAgainstTheOutputSchema) {
  const Json schema = Json::parse(
      R"({"type": "object", "properties": {"temperature": {"type": "number"}}, "required": ["temperature"]})");
  const auto good = read_tool_result(
      Json::parse(R"({"content": [], "structuredContent": {"temperature": 21.5}})"), schema);
  EXPECT_FALSE(good.is_error);
  EXPECT_EQ(good.model_text(),
            R"({"temperature":21.5})");  // no text: the structure is what the model reads
  const auto wrong = read_tool_result(
      Json::parse(R"({"content": [], "structuredContent": {"temperature": "hot"}})"), schema);
  EXPECT_TRUE(wrong.is_error);
  EXPECT_NE(wrong.text.find("does not match its output schema"), std::string::npos);
  EXPECT_NE(wrong.text.find("temperature"), std::string::npos);
  const auto missing =
      read_tool_result(Json::parse(R"({"content": [{"type": "text", "text": "21"}]})"), schema);
  EXPECT_TRUE(missing.is_error);
  // A tool error need not match.
  const auto failed = read_tool_result(
      Json::parse(R"({"content": [{"type": "text", "text": "no"}], "isError": true})"), schema);
  EXPECT_TRUE(failed.is_error);
  EXPECT_EQ(failed.model_text(), "no");
  EXPECT_TRUE(failed.to_tool_output("s", "t").is_error);
}

TEST(ToolNames, AreServerDoubleUnderscoreToolAndSafeForModelApis) {
  EXPECT_EQ(model_tool_name("fs", "read_file"), "fs__read_file");
  EXPECT_EQ(model_tool_name("my server", "get.thing/x"), "my_server__get_thing_x");
  const std::string long_name = model_tool_name(std::string(40, 's'), std::string(40, 't'));
  EXPECT_EQ(long_name.size(), 64u);
  EXPECT_NE(long_name, model_tool_name(std::string(40, 's'), std::string(39, 't') + "u"));
}

TEST(ResourceAttachment, TextImagesAndOtherDataBecomeTheAttachmentsParts) {
  McpResourceContents text{"file:///notes/todo.md", "text/markdown", "- buy flour", std::nullopt};
  auto a = resource_attachment("fs", text.uri, {text});
  EXPECT_EQ(a.name, "todo.md");
  EXPECT_EQ(a.type, "document");
  EXPECT_EQ(a.content_type, "text/markdown");
  ASSERT_EQ(a.content.size(), 1u);
  ASSERT_NE(a.content[0].get_if<TextPart>(), nullptr);
  EXPECT_EQ(a.content[0].get_if<TextPart>()->text.view(), "- buy flour");

  McpResourceContents image{"demo://img/1", "image/png", std::nullopt, "iVBORw0KGgo="};
  a = resource_attachment("demo", image.uri, {image}, "A picture");
  EXPECT_EQ(a.name, "A picture");
  EXPECT_EQ(a.type, "image");
  ASSERT_NE(a.content[0].get_if<ImagePart>(), nullptr);
  EXPECT_EQ(a.content[0].get_if<ImagePart>()->image, "data:image/png;base64,iVBORw0KGgo=");

  // Several items: each text says where it came from; a blob that is not an image is a file.
  McpResourceContents data{"demo://bin/2", "", std::nullopt, "AAEC"};
  a = resource_attachment("demo", "demo://dir/", {text, data});
  EXPECT_EQ(a.name, "demo://dir/");
  EXPECT_EQ(a.type, "document");
  ASSERT_EQ(a.content.size(), 2u);
  EXPECT_EQ(a.content[0].get_if<TextPart>()->text.view(), "file:///notes/todo.md:\n- buy flour");
  ASSERT_NE(a.content[1].get_if<FilePart>(), nullptr);
  EXPECT_EQ(a.content[1].get_if<FilePart>()->mime_type, "application/octet-stream");
  EXPECT_EQ(a.content[1].get_if<FilePart>()->data, "AAEC");

  EXPECT_THROW(resource_attachment("demo", "demo://none", {}), McpError);
  EXPECT_THROW(resource_attachment("demo", "demo://none", {McpResourceContents{"demo://none"}}),
               McpError);
}

}  // namespace
}  // namespace aui::mcp
