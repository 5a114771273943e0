// Follow-up questions from the chat model.

#include "aui/adapters/model_suggestion_adapter.hpp"

#include <cctype>
#include <sstream>

#include "aui/support/errors.hpp"

namespace aui {

namespace {

const char* role_label(Role r) {
  switch (r) {
    case Role::User: return "user";
    case Role::Assistant: return "assistant";
    case Role::System: return "system";
  }
  return "user";
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Keeps the last result a streaming adapter yields; stops it once the generation is aborted.
class LastResultSink final : public RunResultSink {
 public:
  explicit LastResultSink(std::stop_token stop) : stop_(std::move(stop)) {}
  void yield(ChatModelRunResult result) override {
    if (stop_.stop_requested()) throw Cancelled("suggestion generation was aborted");
    last = std::move(result);
  }
  std::stop_token stop_token() const override { return stop_; }
  std::optional<ChatModelRunResult> last;

 private:
  std::stop_token stop_;
};

std::string text_of(const ChatModelRunResult& r) {
  std::string out;
  if (!r.content) return out;
  for (const auto& part : *r.content) {
    if (const auto* t = part.get_if<TextPart>()) {
      if (!out.empty()) out += '\n';
      out += t->text.str();
    }
  }
  return out;
}

}  // namespace

std::string follow_up_prompt(const MessageList& messages, const ModelSuggestionOptions& options) {
  std::vector<std::string> lines;
  for (std::size_t i = messages.size(); i > 0 && lines.size() < options.max_messages; --i) {
    const auto& m = messages[i - 1];
    std::string text = m->text();
    if (trim(text).empty()) continue;
    lines.push_back(std::string(role_label(m->role)) + ": " + text);
  }
  std::ostringstream prompt;
  prompt << "Here is a conversation:\n\n";
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) prompt << *it << '\n';
  prompt << "\nSuggest " << options.count
         << " short follow-up questions the user might ask next. Answer with the questions only, "
            "one per line, "
            "without numbering.";
  return prompt.str();
}

std::vector<ThreadSuggestion> parse_follow_ups(const std::string& answer, std::size_t count) {
  std::vector<ThreadSuggestion> out;
  std::istringstream in(answer);
  std::string raw;
  while (out.size() < count && std::getline(in, raw)) {
    std::string_view line = trim(raw);
    // List markers: "1." "2)" "-" "*" "•".
    std::size_t digits = 0;
    while (digits < line.size() && std::isdigit(static_cast<unsigned char>(line[digits]))) ++digits;
    if (digits > 0 && digits < line.size() && (line[digits] == '.' || line[digits] == ')')) {
      line = trim(line.substr(digits + 1));
    } else if (!line.empty() && (line.front() == '-' || line.front() == '*')) {
      line = trim(line.substr(1));
    } else if (line.rfind("\xE2\x80\xA2", 0) == 0) {
      line = trim(line.substr(3));
    }
    if (line.size() >= 2 && line.front() == '"' && line.back() == '"')
      line = trim(line.substr(1, line.size() - 2));
    if (line.empty()) continue;
    out.push_back(ThreadSuggestion{std::string(line), {}, {}});
  }
  return out;
}

ModelSuggestionAdapter::ModelSuggestionAdapter(ChatModelAdapter model,
                                               ModelSuggestionOptions options)
    : model_(std::move(model)), options_(options) {
  if (!model_)
    throw Error(ErrorKind::InvalidArgument, "ModelSuggestionAdapter needs a chat model adapter");
}

std::vector<ThreadSuggestion> ModelSuggestionAdapter::generate(
    const MessageList& messages, std::stop_token stop,
    const std::function<void(std::vector<ThreadSuggestion>)>&) {
  // A reply that failed or was cancelled gets no follow-up questions: asking again would send
  // the same (perhaps rejected) key to the same server, and there is nothing to follow up on.
  if (!messages.empty()) {
    const auto& last = messages[messages.size() - 1];
    if (last->role == Role::Assistant && last->status.type == StatusType::Incomplete) return {};
  }
  auto request = std::make_shared<ThreadMessage>();
  request->id = generate_id();
  request->created_at = now_timestamp();
  request->role = Role::User;
  request->content.emplace_back(TextPart{Text(follow_up_prompt(messages, options_))});

  ChatModelRunOptions run;
  run.messages = MessageList().push_back(request);
  run.stop_token = stop;
  run.assistant_message_id = generate_id();
  run.get_message = [] { return MessagePtr{}; };

  std::optional<ChatModelRunResult> result;
  switch (model_.form()) {
    case ChatModelAdapter::Form::Plain: result = model_.plain()(run); break;
    case ChatModelAdapter::Form::Streaming: {
      LastResultSink sink(stop);
      model_.streaming()(run, sink);
      result = std::move(sink.last);
      break;
    }
    case ChatModelAdapter::Form::Coroutine: {
      auto stream = model_.coroutine()(run);
      while (auto r = stream.next()) {
        if (stop.stop_requested()) throw Cancelled("suggestion generation was aborted");
        result = std::move(*r);
      }
      break;
    }
  }
  if (stop.stop_requested()) throw Cancelled("suggestion generation was aborted");
  if (!result) return {};
  if (result->status && result->status->type == StatusType::Incomplete) {
    std::string why = "the model did not finish its follow-up questions";
    const Json& error = result->status->error;
    if (error.is_object() && error.contains("message") && error["message"].is_string())
      why += ": " + error["message"].get<std::string>();
    throw Error(ErrorKind::InvalidArgument, why);
  }
  return parse_follow_ups(text_of(*result), options_.count);
}

}  // namespace aui
