// The offline demo adapter.

#include "aui/demo_adapter.hpp"

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <mutex>
#include <string>

namespace aui {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool has(const std::string& text, const char* word) { return text.find(word) != std::string::npos; }

const char* kStory =
    "Here is a long story, so you can try cancelling it with Ctrl-C while it streams.\n\n"
    "Once upon a time, in a small workshop at the edge of a harbour town, an engineer built a "
    "chat runtime that fitted in the palm of a hand. It kept every message of every branch, it "
    "remembered which answer you had looked at last, and it never lost a word when the line to "
    "the model broke.\n\n"
    "The harbour master came by one evening and asked a question. The runtime streamed the "
    "answer, one careful piece at a time, and when the harbour master changed his mind halfway "
    "through, he pressed a key and the answer stopped, mid-sentence, marked as cancelled.\n\n"
    "He edited his question, and a new branch grew beside the old one. He could walk back and "
    "forth between them, comparing what the model had said each time, as if turning the pages "
    "of two books at once.\n\n"
    "Years later the workshop was still there, and so was the runtime: small, quick, and "
    "unbothered by conversations that had grown to thousands of messages. The end.";

/// Composes the demo's reply for the branch it is given.
std::string compose_reply(const ChatModelRunOptions& options) {
  std::string last_user;
  std::size_t replies = 0;
  for (const auto& message : options.messages) {
    if (message->role == Role::User) last_user = message->text();
    if (message->role == Role::Assistant) ++replies;
  }
  // A regenerate sees the same branch: the id of the message being built varies the reply.
  std::size_t variant = replies;
  for (char c : options.assistant_message_id) variant += static_cast<unsigned char>(c);
  const std::string text = lower(last_user);
  const std::string intro = "(aui offline demo — no model is connected.) ";

  if (last_user.empty()) return intro + "Say something and I will answer.";
  if (has(text, "help")) {
    return intro +
           "This is aui's built-in demo adapter. Things to try:\n\n"
           "- type anything: I answer by streaming a reply\n"
           "- `/regen`: regenerate my last reply (a new branch)\n"
           "- `/edit N text`: edit message N (a new branch of the conversation)\n"
           "- `/branches N`, `/branch N prev|next`: move between branches\n"
           "- ask for a *long story*, then press Ctrl-C to cancel it mid-reply\n"
           "- `/export FILE`: save the thread as assistant-ui JSON";
  }
  if (has(text, "story") || has(text, "long")) return intro + kStory;
  if (has(text, "hello") || has(text, "hi") || has(text, "hey")) {
    static const char* greetings[] = {"Hello! ", "Hi there! ", "Hey! Good to see you. "};
    return intro + greetings[variant % 3] + "Ask me for `help` to see what you can try.";
  }
  static const char* openers[] = {"You said: \"", "I heard: \"", "Echoing back: \""};
  static const char* closers[] = {
      "\". With a real backend configured, a model would answer here.",
      "\". Try /regen to see another version of this reply.",
      "\". Edit your message with /edit to branch the conversation.",
  };
  return intro + openers[variant % 3] + last_user + closers[(variant / 3) % 3];
}

}  // namespace

ChatModelAdapter make_demo_adapter(DemoOptions demo) {
  return [demo](const ChatModelRunOptions& options, RunResultSink& sink) {
    const std::string reply = compose_reply(options);
    std::mutex mutex;
    std::condition_variable_any wake;
    Text text;
    const std::size_t step = std::max<std::size_t>(1, demo.chunk_chars);
    for (std::size_t pos = 0; pos < reply.size();) {
      // Never cut a UTF-8 sequence in half.
      std::size_t end = std::min(reply.size(), pos + step);
      while (end < reply.size() && (static_cast<unsigned char>(reply[end]) & 0xC0) == 0x80) ++end;
      text += std::string_view(reply).substr(pos, end - pos);
      pos = end;
      sink.yield(ChatModelRunResult::text(text));
      if (demo.chunk_delay.count() > 0 && pos < reply.size()) {
        std::unique_lock lock(mutex);
        // Wakes at once when the run is cancelled.
        wake.wait_for(lock, options.stop_token, demo.chunk_delay, [] { return false; });
      }
      if (options.stop_token.stop_requested()) return;
    }
    ChatModelRunResult done = ChatModelRunResult::text(text);
    done.status = MessageStatus::complete(StatusReason::Stop);
    sink.yield(std::move(done));
  };
}

}  // namespace aui
