// aui-chat's capability commands, driven without a terminal: a real LocalRuntime with the
// adapters aui-chat uses (files, eSpeak NG into a WAV file, JSON-lines feedback, follow-ups from
// the demo adapter). Waits are on the app's state, never on time.

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "aui/demo/demo_adapter.hpp"
#include "aui/local_runtime.hpp"
#include "chat_app.hpp"

namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

struct CapsChat {
  static aui::ThreadRuntimeOptions options(const fs::path& dir) {
    aui::chat::CapabilityOptions caps;
    caps.feedback_file = (dir / "feedback.jsonl").string();
    caps.speech_wav = (dir / "speech.wav").string();
    aui::ThreadRuntimeOptions o;
    o.chat_model = aui::make_demo_adapter({milliseconds(0), 3});
    o.adapters = aui::chat::make_chat_adapters(o.chat_model, caps);
    return o;
  }
  explicit CapsChat(const fs::path& d) : dir(d), rt(options(d)), app(rt.thread(), out, [] {}) {}

  bool idle() { return !rt.thread().is_running() && !rt.thread().is_run_in_progress(); }
  // A line, then the loop until `done` holds.
  std::string line(const std::string& text, const std::function<bool()>& done) {
    out.str("");
    app.on_line(text);
    rt.event_loop()->run_until(done);
    return out.str();
  }
  // A reply, and the suggestions printed after it.
  std::string reply(const std::string& text) {
    return line(text, [&] { return idle() && contains(out.str(), "suggestions:"); });
  }

  fs::path dir;
  std::ostringstream out;
  aui::LocalRuntime rt;
  aui::chat::ChatApp app;
};

class Caps : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("aui-chat-caps-" + aui::generate_id());
    fs::create_directories(dir);
    chat = std::make_unique<CapsChat>(dir);
  }
  void TearDown() override {
    chat.reset();
    fs::remove_all(dir);
  }
  fs::path dir;
  std::unique_ptr<CapsChat> chat;
};

TEST_F(Caps, SuggestionsAreListedAfterAReplyAndSentByNumber) {
  const auto out = chat->reply("hello");
  EXPECT_TRUE(contains(
      out,
      "suggestions:\n  /1  What is the weather in Paris?\n  /2  What time is it in Tokyo?\n"
      "  /3  Tell me a long story\n\nyou> "))
      << out;
  const auto sent = chat->reply("/2");
  const auto& messages = chat->rt.thread().messages();
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[2]->text(), "What time is it in Tokyo?");
  EXPECT_TRUE(contains(sent, "What time is it in Tokyo?\n")) << sent;
  const auto wrong = chat->line("/7", [] { return true; });
  EXPECT_TRUE(contains(wrong, "error: no suggestion 7 (/1 to /3)")) << wrong;
}

TEST_F(Caps, AnAttachedFileGoesWithTheNextMessage) {
  { std::ofstream(dir / "notes.md") << "# Notes\nbuy milk\n"; }
  const auto attached = chat->line("/attach " + (dir / "notes.md").string(),
                                   [&] { return contains(chat->out.str(), "attached"); });
  EXPECT_TRUE(contains(attached, "attached notes.md (1 waiting; they go with your next message)"))
      << attached;
  const auto out = chat->reply("summarise my notes");
  EXPECT_TRUE(contains(out, "(with 1 attachment)")) << out;
  const auto& user = *chat->rt.thread().messages()[0];
  EXPECT_EQ(user.text(), "summarise my notes");
  ASSERT_EQ(user.attachments.size(), 1u);
  EXPECT_EQ(user.attachments[0].name, "notes.md");
  EXPECT_TRUE(chat->rt.thread().composer().attachments().empty());
}

TEST_F(Caps, AMessageTypedRightAfterAttachTakesTheFile) {
  { std::ofstream(dir / "notes.md") << "# Notes\nbuy milk\n"; }
  chat->out.str("");
  // Both lines arrive before the file has been read (piped input, or a fast typist).
  chat->app.on_line("/attach " + (dir / "notes.md").string());
  chat->app.on_line("summarise my notes");
  chat->rt.event_loop()->run_until(
      [&] { return chat->rt.thread().messages().size() >= 2 && chat->idle(); });
  const auto& user = *chat->rt.thread().messages()[0];
  EXPECT_EQ(user.text(), "summarise my notes");
  ASSERT_EQ(user.attachments.size(), 1u) << chat->out.str();
  EXPECT_EQ(user.attachments[0].name, "notes.md");
}

TEST_F(Caps, AnAttachErrorIsShownWhenInputEndsRightAfter) {
  bool quit = false;
  aui::chat::ChatApp app(chat->rt.thread(), chat->out, [&] { quit = true; });
  chat->out.str("");
  app.on_line("/attach " + (dir / "nope.txt").string());
  app.on_end_of_input();
  chat->rt.event_loop()->run_until([&] { return quit; });
  const std::string out = chat->out.str();
  EXPECT_TRUE(contains(out, "cannot attach")) << out;
  EXPECT_LT(out.find("cannot attach"), out.find("bye")) << out;
}

TEST_F(Caps, AFileThatCannotBeAttachedSaysWhyAndChangesNothing) {
  const auto missing = chat->line("/attach " + (dir / "nope.txt").string(),
                                  [&] { return contains(chat->out.str(), "error:"); });
  EXPECT_TRUE(contains(missing, "cannot attach")) << missing;
  EXPECT_TRUE(contains(missing, "no such file")) << missing;
  { std::ofstream(dir / "fake.png") << "not an image"; }
  const auto fake = chat->line("/attach " + (dir / "fake.png").string(),
                               [&] { return contains(chat->out.str(), "error:"); });
  EXPECT_TRUE(contains(fake, "is not a PNG, JPEG, GIF or WebP image")) << fake;
  EXPECT_TRUE(chat->rt.thread().composer().attachments().empty());
  const auto usage = chat->line("/attach", [] { return true; });
  EXPECT_TRUE(contains(usage, "error: usage: /attach PATH")) << usage;
}

TEST_F(Caps, FeedbackIsRecordedOnRepliesWithAComment) {
  chat->reply("hello");
  const auto good = chat->line("/good", [] { return true; });
  EXPECT_TRUE(contains(good, "recorded positive feedback on message 2")) << good;
  const auto own = chat->line("/bad 1", [] { return true; });
  EXPECT_TRUE(contains(own, "error: message 1 is not a reply")) << own;
  const auto bad = chat->line("/bad 2 too vague, and \"wrong\"", [] { return true; });
  EXPECT_TRUE(contains(bad, "recorded negative feedback on message 2, with your comment")) << bad;
  const auto wrong = chat->line("/bad 9", [] { return true; });
  EXPECT_TRUE(contains(wrong, "error: no message 9 (1 to 2, see /history)")) << wrong;
  const auto words = chat->line("/good nice one", [] { return true; });
  EXPECT_TRUE(contains(words, "recorded positive feedback on message 2, with your comment"))
      << words;
  std::ifstream in(dir / "feedback.jsonl");
  std::string first, second, third, fourth;
  std::getline(in, first);
  std::getline(in, second);
  std::getline(in, third);
  EXPECT_FALSE(std::getline(in, fourth));
  EXPECT_TRUE(contains(first, "\"type\":\"positive\"")) << first;
  EXPECT_TRUE(contains(first, "\"role\":\"assistant\"")) << first;
  EXPECT_TRUE(contains(second, "\"type\":\"negative\"")) << second;
  EXPECT_TRUE(contains(second, "too vague, and \\\"wrong\\\"")) << second;
  EXPECT_TRUE(contains(third, "nice one")) << third;
  EXPECT_EQ(chat->rt.thread().messages()[1]->metadata.submitted_feedback,
            aui::FeedbackType::Positive);
}

TEST_F(Caps, SpeakingWritesTheWavAndStopNeedsSomethingSpoken) {
  const auto nothing = chat->line("/stop", [] { return true; });
  EXPECT_TRUE(contains(nothing, "nothing is being spoken")) << nothing;
  const auto none = chat->line("/speak", [] { return true; });
  EXPECT_TRUE(contains(none, "error: there is no reply yet")) << none;
  chat->reply("hello");
  const auto speaking =
      chat->line("/speak", [&] { return !chat->rt.thread().speech().has_value(); });
  EXPECT_TRUE(contains(speaking, "speaking message 2 (/stop to stop)")) << speaking;
  EXPECT_GT(fs::file_size(dir / "speech.wav"), 22050u);  // more than half a second of audio
}

// Piped input that ends with /speak: the chat quits once the speaking is done, so the WAV file
// is whole when it quits (it used to quit at once, before anything was written).
TEST_F(Caps, EndOfInputWaitsForTheSpeakingToFinish) {
  const fs::path wav = dir / "speech.wav";
  std::uintmax_t size_at_quit = 0;
  bool quit = false;
  std::ostringstream out;
  aui::LocalRuntime rt(CapsChat::options(dir));
  aui::chat::ChatApp app(rt.thread(), out, [&] {
    quit = true;
    size_at_quit = fs::exists(wav) ? fs::file_size(wav) : 0;
  });
  app.on_line("hello");
  app.on_line("/speak");
  app.on_end_of_input();
  rt.event_loop()->run_until([&] { return quit; });
  EXPECT_TRUE(contains(out.str(), "speaking message 2")) << out.str();
  EXPECT_GT(size_at_quit, 22050u);  // more than half a second of audio
}

TEST(CapsArgs, TheCapabilityOptionsParse) {
  std::ostringstream out, err;
  aui::chat::ChatOptions o;
  const char* ok[] = {"aui-chat",     "--speech-wav",  "/tmp/x.wav", "--feedback-file",
                      "/tmp/f.jsonl", "--suggestions", "off"};
  EXPECT_EQ(aui::chat::parse_args(7, ok, o, out, err), aui::chat::ParseOutcome::Run);
  EXPECT_EQ(o.capabilities.speech_wav, "/tmp/x.wav");
  EXPECT_EQ(o.capabilities.feedback_file, "/tmp/f.jsonl");
  EXPECT_EQ(o.capabilities.suggestions, "off");
  const char* bad[] = {"aui-chat", "--suggestions", "maybe"};
  EXPECT_EQ(aui::chat::parse_args(3, bad, o, out, err), aui::chat::ParseOutcome::Fail);
  EXPECT_TRUE(contains(err.str(), "--suggestions takes model or off")) << err.str();
  const char* missing[] = {"aui-chat", "--speech-wav"};
  EXPECT_EQ(aui::chat::parse_args(2, missing, o, out, err), aui::chat::ParseOutcome::Fail);
}

// A failed follow-up generation goes to the log file, not to the chat's error lines.
TEST(CapsLog, AFailedFollowUpGenerationIsLoggedNotReported) {
  const fs::path dir = fs::temp_directory_path() / ("aui-chat-log-" + aui::generate_id());
  fs::create_directories(dir);
  aui::chat::CapabilityOptions caps;
  caps.feedback_file = (dir / "feedback.jsonl").string();
  caps.log_file = (dir / "state" / "aui-chat.log").string();
  std::atomic<int> calls{0};  // the model runs on worker threads
  aui::ChatModelAdapter model = [&](const aui::ChatModelRunOptions&) -> aui::ChatModelRunResult {
    if (++calls == 2) throw std::runtime_error("the server went away");
    aui::ChatModelRunResult r;
    r.content = aui::Content{aui::TextPart{"An answer."}};
    return r;
  };
  std::vector<std::string> reported;
  aui::ThreadRuntimeOptions o;
  o.chat_model = model;
  o.adapters = aui::chat::make_chat_adapters(model, caps);
  o.on_error = [&](const std::string& m) { reported.push_back(m); };
  {
    aui::LocalRuntime rt(std::move(o));
    auto& thread = rt.thread();
    thread.composer().set_text("hello");
    thread.composer().send();
    rt.event_loop()->run_until(
        [&] { return calls >= 2 && !thread.is_running() && fs::exists(caps.log_file); });
    EXPECT_TRUE(thread.suggestions().empty());
  }
  EXPECT_TRUE(reported.empty()) << reported.front();
  std::ifstream in(caps.log_file);
  std::string line;
  std::getline(in, line);
  EXPECT_TRUE(contains(line, "follow-up suggestions failed: the server went away")) << line;
  fs::remove_all(dir);
}

}  // namespace
