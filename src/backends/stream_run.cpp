#include "stream_run.hpp"

#include <cstdlib>
#include <utility>

#include "aui/runtime/tool_execution.hpp"
#include "aui/support/errors.hpp"

namespace aui::backends_detail {

namespace {

std::int64_t token_count(const Json& usage, const char* a, const char* b) {
  for (const char* key : {a, b}) {
    const auto it = usage.find(key);
    if (it != usage.end() && it->is_number_integer()) return it->get<std::int64_t>();
  }
  return 0;
}

RunResultMetadata usage_metadata(const Json& usage) {
  RunResultMetadata md;
  ThreadStep step;
  if (usage.is_object()) {
    step.usage = ThreadStep::Usage{token_count(usage, "prompt_tokens", "input_tokens"),
                                   token_count(usage, "completion_tokens", "output_tokens")};
    md.custom = Json{{"usage", usage}};
  }
  md.steps = std::vector<ThreadStep>{step};
  return md;
}

}  // namespace

Json redact_json(Json value, std::string_view secret) {
  if (secret.empty()) return value;
  if (value.is_string()) return redact(value.get<std::string>(), secret);
  if (value.is_structured()) {
    for (auto& item : value) item = redact_json(std::move(item), secret);
  }
  return value;
}

std::string result_text(const ToolCallPart& call) {
  if (!call.result) return "The tool produced no result.";
  if (call.result->is_string()) return call.result->get<std::string>();
  return call.result->dump();
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

std::string join_url(std::string base, std::string_view path) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  return base + "/" + std::string(path);
}

bool is_server_tool_call(const ToolCallPart& call) {
  const Json& m = call.provider_metadata;
  if (!m.is_object()) return false;
  const auto a = m.find("anthropic");
  return a != m.end() && a->is_object() && a->value("server", false);
}

void run_roundtrip(const ChatModelRunOptions& options, RunResultSink& sink,
                   const HttpRequest& request, const HttpSettings& http, std::string_view secret,
                   StreamDecoding& decoding) {
  DeltaAccumulator& acc = *decoding.accumulator;
  const std::stop_token& stop = options.stop_token;
  // A slice may hold many events: a cancel is seen between them, not only between slices. The
  // exception leaves through post_streaming, which ends the transfer.
  SseParser parser([&](const SseEvent& e) {
    if (stop.stop_requested()) throw Cancelled();
    decoding.feed(e);
  });
  // llama.cpp builds of 2025 reported a failure mid-stream as a non-standard `error:` line.
  parser.on_unknown_field([&](std::string_view field, std::string_view value) {
    if (field != "error") return;
    SseEvent e;
    e.event = "error";
    e.data = std::string(value);
    decoding.feed(e);
  });
  const auto on_body = [&](std::string_view bytes) {
    parser.feed(bytes);
    // One result per slice of the body, not per event: the sink keeps only the newest anyway.
    if (!acc.empty()) sink.yield(acc.snapshot());
  };

  try {
    post_streaming(request, http, options.stop_token, on_body);
  } catch (const HttpError& e) {
    // A server that ignored stream:true and sent the whole answer: decoded like a stream.
    std::vector<SseEvent> events;
    if (e.code() == "not_streaming" && decoding.whole_answer && e.detail().is_object())
      events = decoding.whole_answer(e.detail());
    if (events.empty()) {
      // What arrived stays; the message says what went wrong.
      acc.finish();
      ChatModelRunResult r = acc.snapshot();
      Json error = e.to_assistant_error();
      if (e.code() == "not_streaming") error.erase("detail");  // the document, not a message
      r.status = MessageStatus::incomplete(StatusReason::Error, redact_json(error, secret));
      if (const Json usage = decoding.usage(); usage.is_object())
        r.metadata = usage_metadata(usage);
      sink.yield(std::move(r));
      return;
    }
    for (const SseEvent& event : events) decoding.feed(event);
  }
  parser.finish();
  decoding.finish();
  ChatModelRunResult r = acc.snapshot();
  if (r.status && r.status->error->is_object())
    r.status->error = redact_json(*r.status->error, secret);
  r.metadata = usage_metadata(decoding.usage());
  if (r.status && r.status->is(StatusType::RequiresAction, StatusReason::ToolCalls) && r.content) {
    // Run what aui runs (tools with an execute function; gated ones wait for approval); the
    // runtime calls again once every call has its result and sends them back to the model.
    r.content = execute_tool_calls(options, std::move(*r.content), &sink);
  }
  sink.yield(std::move(r));
}

}  // namespace aui::backends_detail
