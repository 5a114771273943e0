// The offline demo adapter.

#include "aui/demo_adapter.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>

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
  return std::any_of(wanted.begin(), wanted.end(), [&](const char* w) { return words.count(w) > 0; });
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
  const std::string intro =
      std::string("*aui offline demo, reply ") + std::to_string(variant + 1) + " — no model is connected.* ";
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
           "- `/history` and `/export FILE`: look at the thread, save it as assistant-ui JSON";
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

}  // namespace

ChatModelAdapter make_demo_adapter(DemoOptions demo) {
  // Counts the replies this adapter composed: a regenerate sees the same branch as the reply it
  // replaces, so only the count can make it read differently. A fresh adapter starts at zero,
  // which keeps the replies deterministic for a given sequence of calls.
  auto replies = std::make_shared<std::atomic<std::size_t>>(0);
  return [demo, replies](const ChatModelRunOptions& options, RunResultSink& sink) {
    const std::string reply = compose_reply(options, replies->fetch_add(1, std::memory_order_relaxed));
    std::mutex mutex;
    std::condition_variable_any wake;
    Text text;
    const std::size_t step = std::max<std::size_t>(1, demo.chunk_chars);
    for (std::size_t pos = 0; pos < reply.size();) {
      if (options.stop_token.stop_requested()) return;
      // Never cut a UTF-8 sequence in half.
      std::size_t end = std::min(reply.size(), pos + step);
      while (end < reply.size() && (static_cast<unsigned char>(reply[end]) & 0xC0) == 0x80) ++end;
      text += std::string_view(reply).substr(pos, end - pos);
      pos = end;
      // The results share `text`'s storage; growing it does not disturb what was yielded.
      sink.yield(ChatModelRunResult::text(text));
      if (demo.chunk_delay.count() > 0 && pos < reply.size()) {
        std::unique_lock lock(mutex);
        // Not sleep_for: a cancel must end the pause at once.
        wake.wait_for(lock, options.stop_token, demo.chunk_delay, [] { return false; });
      }
    }
    if (options.stop_token.stop_requested()) return;
    ChatModelRunResult done = ChatModelRunResult::text(text);
    done.status = MessageStatus::complete(StatusReason::Stop);
    sink.yield(std::move(done));
  };
}

}  // namespace aui
