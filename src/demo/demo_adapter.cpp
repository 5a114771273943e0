// The offline demo adapter.

#include "aui/demo/demo_adapter.hpp"

#include "aui/model/message_like.hpp"
#include "aui/runtime/tool_execution.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace aui {

namespace {

// The lower-cased ASCII words of `text`; other bytes (punctuation, non-ASCII) separate words.
std::set<std::string> words_of(std::string_view text) {
  std::set<std::string> words;
  std::string word;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80 && std::isalnum(c)) {
      word.push_back(static_cast<char>(std::tolower(c)));
    } else if (!word.empty()) {
      words.insert(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.insert(std::move(word));
  return words;
}

bool has_any(const std::set<std::string>& words, std::initializer_list<const char*> wanted) {
  return std::any_of(wanted.begin(), wanted.end(),
                     [&](const char* w) { return words.count(w) > 0; });
}

// Picks one of `options` by the variant number.
template <std::size_t N>
const char* pick(const char* const (&options)[N], std::size_t variant) {
  return options[variant % N];
}

const char* const kStoryOpenings[] = {
    "Here is a long story, so you can try cancelling it with **Ctrl-C** while it streams.",
    "A long one, as you asked. Press **Ctrl-C** halfway through to see a cancelled reply.",
    "Settle in: this is a long story. **Ctrl-C** stops it mid-sentence.",
};

const char* kStory =
    "\n\n## The runtime in the harbour town\n\n"
    "Once upon a time, in a small workshop at the edge of a harbour town, an engineer built a "
    "chat runtime that fitted in the palm of a hand. It kept every message of every branch, it "
    "remembered which answer you had looked at last, and it never lost a word when the line to "
    "the model broke.\n\n"
    "The harbour master came by one evening and asked a question. The runtime streamed the "
    "answer, one careful piece at a time, and when the harbour master changed his mind halfway "
    "through, he pressed a key and the answer stopped, mid-sentence, marked as *cancelled*.\n\n"
    "### What he tried next\n\n"
    "1. He **edited** his question, and a new branch grew beside the old one.\n"
    "2. He **regenerated** the answer, and a sibling appeared: the same question, another reply.\n"
    "3. He walked back and forth between the branches, comparing what the model had said each "
    "time, as if turning the pages of two books at once.\n\n"
    "The fishermen heard about it and came with their own questions: about the tides, about the "
    "price of rope, about whether the old lighthouse keeper had really seen a sea serpent in the "
    "winter of the great storm. The runtime answered them all, patiently, in the order they were "
    "asked, and kept every conversation apart from every other.\n\n"
    "> A conversation is a tree, not a list. The view shows one path through it.\n\n"
    "Years later the workshop was still there, and so was the runtime: small, quick, and "
    "unbothered by conversations that had grown to thousands of messages. The end.";

/// Composes the demo's reply to the branch it is given. `variant` picks among phrasings, so the
/// next reply (a regenerate, say) reads differently.
std::string compose_reply(const ChatModelRunOptions& options, std::size_t variant) {
  std::string last_user;
  for (const auto& message : options.messages) {
    if (message->role == Role::User) last_user = message->text();
  }
  const std::string intro = std::string("*aui offline demo, reply ") + std::to_string(variant + 1) +
                            " — no model is connected.* ";
  if (last_user.empty()) return intro + "Say something and I will answer.";
  const auto words = words_of(last_user);

  if (has_any(words, {"help", "commands"})) {
    static const char* const openers[] = {"This is aui's built-in demo adapter. ",
                                          "I am aui's offline demo: I echo what you say. ",
                                          "Here is what you can do with this demo. "};
    return intro + pick(openers, variant) +
           "Things to try:\n\n"
           "- type anything: I answer by streaming a reply\n"
           "- `/regen`: regenerate my last reply (a new branch; the text changes)\n"
           "- `/edit N text`: edit message N (a new branch of the conversation)\n"
           "- `/branches N`, `/branch N prev|next`: move between branches\n"
           "- ask for a *long story*, then press Ctrl-C to cancel it mid-reply\n"
           "- `/history` and `/export FILE`: look at the thread, save it as assistant-ui JSON\n"
           "- tools: ask for the *weather in Paris*, the *time*, or `what is 12*(3+4)`; ask me to\n"
           "  *send an email* (you answer for the tool with `/answer`) or to *deploy* (you "
           "`/allow`,\n"
           "  `/deny` or `/always` allow it)";
  }
  if (has_any(words, {"story", "long", "essay", "poem"})) {
    return intro + pick(kStoryOpenings, variant) + kStory;
  }
  if (has_any(words, {"hello", "hi", "hey", "hallo", "morning", "evening"})) {
    static const char* const greetings[] = {"Hello! ", "Hi there! ", "Hey! Good to see you. "};
    return intro + pick(greetings, variant) + "You said \"" + last_user +
           "\". Ask me for `help` to see what you can try.";
  }
  static const char* const openers[] = {"You said: \"", "I heard: \"", "Echoing back: \""};
  static const char* const closers[] = {
      "\". With a real backend configured, a model would answer here.",
      "\". Try /regen to see another version of this reply.",
      "\". Edit your message with /edit to branch the conversation.",
  };
  // Openers and closers advance together, so consecutive replies differ in both.
  return intro + pick(openers, variant) + last_user + pick(closers, variant);
}

// ---- tools ----

std::string trim(std::string s) {
  const auto a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return {};
  const auto b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "weather in new york today?" → "New york": the words after " in ", up to punctuation or "and".
std::string city_in(const std::string& text) {
  const std::string l = lower(text);
  const auto at = l.find(" in ");
  if (at == std::string::npos) return "London";
  std::string rest = text.substr(at + 4);
  const auto stop = rest.find_first_of("?.,!;");
  if (stop != std::string::npos) rest.resize(stop);
  for (const char* end : {" and ", " today", " now", " right now", " please"}) {
    const auto e = lower(rest).find(end);
    if (e != std::string::npos) rest.resize(e);
  }
  rest = trim(rest);
  if (rest.empty()) return "London";
  rest[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(rest[0])));
  return rest;
}

// The longest run of arithmetic characters that holds a digit, an operator and another digit.
std::string arithmetic_in(const std::string& text) {
  std::string best;
  std::string run;
  auto consider = [&] {
    const std::string t = trim(run);
    const bool has_digit = t.find_first_of("0123456789") != std::string::npos;
    const auto op = t.find_first_of("+-*/%^", 1);
    const bool digit_after_op =
        op != std::string::npos && t.find_first_of("0123456789(", op) != std::string::npos;
    if (has_digit && digit_after_op && t.size() > best.size()) best = t;
    run.clear();
  };
  for (char c : text) {
    if (std::string_view("0123456789.+-*/%^() ").find(c) != std::string_view::npos) {
      run.push_back(c);
    } else if (c == 'x' || c == 'X') {
      run.push_back('*');  // "3 x 4"
    } else {
      consider();
    }
  }
  consider();
  return best;
}

// The tool calls the demo makes for `text`, among the tools the app registered.
std::vector<ToolCallPart> plan_tool_calls(const ChatModelRunOptions& options,
                                          const std::string& text) {
  const auto words = words_of(text);
  const auto& tools = options.context.tools;
  std::vector<ToolCallPart> calls;
  auto add = [&](const char* name, Json args) {
    if (!tools.count(name)) return;
    ToolCallPart c;
    c.tool_call_id =
        "call_" + std::to_string(calls.size() + 1) + "_" + options.assistant_message_id;
    c.tool_name = name;
    c.args = std::move(args);
    calls.push_back(std::move(c));
  };
  if (has_any(words, {"weather", "temperature", "forecast"})) {
    add("get_weather", Json{{"city", city_in(text)}});
  }
  if (has_any(words, {"time", "clock", "date"})) add("get_time", Json::object());
  // Arithmetic when asked for ("what is 2+3") or when the message is mostly the expression, so
  // "a story in 2-3 paragraphs" stays a story.
  if (const auto expression = arithmetic_in(text); !expression.empty()) {
    const bool asked = has_any(words, {"calculate", "compute", "what", "whats", "how", "solve"});
    if (asked || expression.size() * 10 >= trim(text).size() * 6)
      add("calculate", Json{{"expression", expression}});
  }
  if (has_any(words, {"email", "mail"})) {
    std::string to = "friend@example.com";
    std::istringstream in(text);
    for (std::string w; in >> w;) {
      if (w.find('@') != std::string::npos) to = trim(w.substr(0, w.find_last_not_of(".,!?;") + 1));
    }
    add("send_email", Json{{"to", to},
                           {"subject", "Hello from aui"},
                           {"body", "Hi! This message was drafted by the aui offline demo."}});
  }
  if (words.count("deploy")) {
    add("deploy", Json{{"service", "web"},
                       {"environment", words.count("staging") ? "staging" : "production"}});
  }
  return calls;
}

std::string describe_call(const ToolCallPart& c) {
  if (c.tool_name == "get_weather")
    return "the weather in " + c.args.value("city", std::string("?"));
  if (c.tool_name == "get_time") return "the clock";
  if (c.tool_name == "calculate") return c.args.value("expression", std::string("?"));
  if (c.tool_name == "send_email") return "an email to " + c.args.value("to", std::string("?"));
  if (c.tool_name == "deploy")
    return "a deployment of " + c.args.value("service", std::string("?"));
  return c.tool_name;
}

std::string error_text(const Json& result) {
  if (result.is_string()) return result.get<std::string>();
  if (result.is_object() && result.contains("error") && result["error"].is_string())
    return result["error"].get<std::string>();
  return result.dump();
}

// What the demo says once its tool calls have results.
std::string answer_from_tools(const ThreadMessage& message, std::size_t variant) {
  std::string out = std::string("*aui offline demo, reply ") + std::to_string(variant + 1) + ".* ";
  for (const auto& part : message.content) {
    const auto* c = part.get_if<ToolCallPart>();
    if (!c) continue;
    if (!c->result) {
      out += "I got no result for " + describe_call(*c) + ". ";
      continue;
    }
    const Json& r = *c->result;
    if (c->is_error.value_or(false)) {
      if (c->tool_name == "deploy" || c->tool_name == "send_email") {
        out += "Understood: I did not go ahead with " + describe_call(*c) + " (" + error_text(r) +
               "). ";
      } else {
        out += "I could not get " + describe_call(*c) + ": " + error_text(r) + ". ";
      }
      continue;
    }
    if (c->tool_name == "get_weather" && r.is_object()) {
      out += "In " + r.value("city", std::string("?")) + " it is " +
             std::to_string(r.value("temperature", 0)) + r.value("unit", std::string()) + " and " +
             r.value("conditions", std::string("?")) + " (made-up demo data). ";
    } else if (c->tool_name == "get_time" && r.is_object()) {
      out += "It is " + r.value("local", std::string("?")) + " here (" +
             r.value("utc", std::string("?")) + "). ";
    } else if (c->tool_name == "calculate" && r.is_object() && r.contains("value")) {
      const double v = r["value"].get<double>();
      std::ostringstream num;
      num.precision(12);
      num << v;
      out += r.value("expression", std::string("?")) + " = " + num.str() + ". ";
    } else if (c->tool_name == "send_email") {
      out += "The email to " + c->args.value("to", std::string("?")) +
             " is done (you answered: " + (r.is_string() ? r.get<std::string>() : r.dump()) + "). ";
    } else if (c->tool_name == "deploy" && r.is_object()) {
      out += "Deployed " + r.value("service", std::string("?")) + " to " +
             r.value("environment", std::string("?")) + " (version " +
             r.value("version", std::string("?")) + "; nothing real happened, this is the demo). ";
    } else {
      out += c->tool_name + " answered " + r.dump() + ". ";
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

ChatModelAdapter make_demo_adapter(DemoOptions demo) {
  // Counts the replies this adapter composed: a regenerate sees the same branch as the reply it
  // replaces, so only the count can make it read differently. A fresh adapter starts at zero,
  // which keeps the replies deterministic for a given sequence of calls.
  auto replies = std::make_shared<std::atomic<std::size_t>>(0);
  return [demo, replies](const ChatModelRunOptions& options, RunResultSink& sink) {
    // A request for follow-up questions (ModelSuggestionAdapter): offer what the demo can show.
    // It is not a reply, so it does not count as one.
    if (!options.messages.empty() && options.messages.size() == 1) {
      const std::string request = options.messages[0]->text();
      if (request.rfind("Here is a conversation:", 0) == 0 &&
          request.find("follow-up questions") != std::string::npos) {
        sink.yield(ChatModelRunResult::text(Text(
            "What is the weather in Paris?\nWhat time is it in Tokyo?\nTell me a long story")));
        return;
      }
    }
    const std::size_t variant = replies->fetch_add(1, std::memory_order_relaxed);
    std::mutex mutex;
    std::condition_variable_any wake;
    // A pause between chunks that a cancel ends at once (not sleep_for).
    auto pause = [&] {
      if (demo.chunk_delay.count() <= 0) return;
      std::unique_lock lock(mutex);
      wake.wait_for(lock, options.stop_token, demo.chunk_delay, [] { return false; });
    };
    // Streams `reply` after `before` (the parts already yielded in this call); returns false
    // when cancelled.
    auto stream = [&](const Content& before, const std::string& reply) {
      Text text;
      const std::size_t step = std::max<std::size_t>(1, demo.chunk_chars);
      for (std::size_t pos = 0; pos < reply.size();) {
        if (options.stop_token.stop_requested()) return false;
        // Never cut a UTF-8 sequence in half.
        std::size_t end = std::min(reply.size(), pos + step);
        while (end < reply.size() && (static_cast<unsigned char>(reply[end]) & 0xC0) == 0x80) ++end;
        text += std::string_view(reply).substr(pos, end - pos);
        pos = end;
        // The results share `text`'s storage; growing it does not disturb what was yielded.
        ChatModelRunResult r;
        r.content = before;
        r.content->emplace_back(TextPart{text});
        sink.yield(std::move(r));
        if (pos < reply.size()) pause();
      }
      return !options.stop_token.stop_requested();
    };
    auto one_step = [] {
      RunResultMetadata md;
      md.steps = std::vector<ThreadStep>{ThreadStep{}};
      return md;
    };

    // Called again after its tool calls got results: answer from them.
    const MessagePtr so_far = options.get_message ? options.get_message() : nullptr;
    const bool has_calls =
        so_far && std::any_of(so_far->content.begin(), so_far->content.end(),
                              [](const ContentPart& p) { return p.is<ToolCallPart>(); });
    std::string last_user;
    for (const auto& message : options.messages) {
      if (message->role == Role::User) last_user = message->text();
    }
    auto calls = has_calls ? std::vector<ToolCallPart>{} : plan_tool_calls(options, last_user);
    if (has_calls || calls.empty()) {
      const std::string reply =
          has_calls ? answer_from_tools(*so_far, variant) : compose_reply(options, variant);
      if (!stream({}, reply)) return;
      ChatModelRunResult done;
      done.content.emplace();
      done.content->emplace_back(TextPart{Text(reply)});
      done.status = MessageStatus::complete(StatusReason::Stop);
      if (has_calls) done.metadata = one_step();
      sink.yield(std::move(done));
      return;
    }

    // Say what it is about to do, then stream each call's arguments as a model would.
    std::string intro = "*aui offline demo.* Let me use my tools for ";
    for (std::size_t i = 0; i < calls.size(); ++i) {
      intro += (i == 0 ? "" : i + 1 == calls.size() ? " and " : ", ") + describe_call(calls[i]);
    }
    intro += ".";
    if (!stream({}, intro)) return;
    Content content;
    content.emplace_back(TextPart{Text(intro)});
    for (auto& call : calls) {
      const std::string args = call.args.dump();
      content.emplace_back(call);
      const std::size_t step = std::max<std::size_t>(4, args.size() / 3);
      for (std::size_t pos = 0; pos < args.size();) {
        if (options.stop_token.stop_requested()) return;
        pos = std::min(args.size(), pos + step);
        // Taken anew each step: the part's storage is shared with the update yielded before
        // (which the UI may be reading), and edit() unshares it only when called.
        auto& streamed = content.back().edit<ToolCallPart>();
        streamed.args_text = Text(std::string_view(args).substr(0, pos));
        streamed.args = parse_partial_json(streamed.args_text.view());
        ChatModelRunResult r;
        r.content = content;
        sink.yield(std::move(r));
        pause();
      }
    }
    // aui runs the tools that have an execute function (deploy gets an approval gate instead);
    // the runtime calls again once every call has its result.
    ChatModelRunResult r;
    r.content = execute_tool_calls(options, std::move(content), &sink);
    r.status = MessageStatus::requires_action(StatusReason::ToolCalls);
    r.metadata = one_step();
    sink.yield(std::move(r));
  };
}

}  // namespace aui
