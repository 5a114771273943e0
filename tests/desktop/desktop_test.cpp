// aui-desktop's pieces: its command line (shared backend flags plus its own), the capabilities its
// factory gives a Chat, and the settings dialog's path (Desktop::apply), which switches a real
// Chat to another backend.

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QVariantMap>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "aui/qt/chat.hpp"
#include "desktop_backend.hpp"
#include "desktop_options.hpp"

namespace aui::desktop {
namespace {

ParseOutcome parse(std::vector<const char*> args, DesktopOptions& options, std::string* err = {}) {
  args.insert(args.begin(), "aui-desktop");
  std::ostringstream out, error;
  const auto r = parse_args(static_cast<int>(args.size()), args.data(), options, out, error);
  if (err) *err = error.str();
  return r;
}

TEST(DesktopOptions, ReadsTheSharedBackendFlagsAndItsOwn) {
  DesktopOptions o;
  ASSERT_EQ(parse({"--provider", "demo", "--model", "m1", "--db", "/tmp/x.db", "--recover-db",
                   "--demo-delay", "5", "--dark"},
                  o),
            ParseOutcome::Run);
  EXPECT_EQ(o.backend.provider, "demo");
  EXPECT_EQ(o.backend.model, "m1");
  EXPECT_EQ(o.store.db_path, "/tmp/x.db");
  EXPECT_TRUE(o.store.recover_db);
  EXPECT_EQ(o.demo_delay_ms, 5);
  EXPECT_EQ(o.theme, "dark");
}

TEST(DesktopOptions, ABadArgumentIsOneSentence) {
  DesktopOptions o;
  std::string err;
  EXPECT_EQ(parse({"--demo-delay", "soon"}, o, &err), ParseOutcome::Fail);
  EXPECT_NE(err.find("milliseconds"), std::string::npos) << err;
  EXPECT_EQ(parse({"--frobnicate"}, o, &err), ParseOutcome::Fail);
  EXPECT_NE(err.find("--help"), std::string::npos) << err;
  EXPECT_EQ(parse({"--help"}, o), ParseOutcome::Exit);
}

TEST(DesktopOptions, FeedbackFileAndDictationWav) {
  DesktopOptions o;
  const std::string wav = ::testing::TempDir() + "desktop_test_said.wav";
  { std::ofstream(wav) << "RIFF"; }  // only its existence is checked here
  ASSERT_EQ(parse({"--feedback-file", "/tmp/f.jsonl", "--dictation-wav", wav.c_str()}, o),
            ParseOutcome::Run);
  EXPECT_EQ(o.feedback_file, "/tmp/f.jsonl");
  EXPECT_EQ(o.dictation_wav, wav);
  std::remove(wav.c_str());

  // A WAV file that is not there: one sentence naming it, before any window opens.
  std::string err;
  DesktopOptions missing;
  EXPECT_EQ(parse({"--dictation-wav", "/nonexistent/said.wav"}, missing, &err), ParseOutcome::Fail);
  EXPECT_NE(err.find("/nonexistent/said.wav"), std::string::npos) << err;
  EXPECT_EQ(parse({"--feedback-file"}, missing, &err), ParseOutcome::Fail);
  EXPECT_NE(err.find("needs a value"), std::string::npos) << err;
}

// The capabilities a Chat made by the factory has, with `path` as PATH (where the recorder is
// looked for).
QVariantMap capabilities_with_path(const DesktopOptions& options, const char* path) {
  const std::string saved = std::getenv("PATH") ? std::getenv("PATH") : "";
  ::setenv("PATH", path, 1);
  QString banner;
  aui::qt::Chat chat;
  chat.set_backend(make_chat_factory(options, nullptr, banner));
  ::setenv("PATH", saved.c_str(), 1);
  return chat.capabilities();
}

TEST(Desktop, FeedbackAlwaysAndDictationOnlyWithSomethingToHear) {
  int argc = 1;
  char name[] = "desktop_test";
  char* argv[] = {name, nullptr};
  QCoreApplication app(argc, argv);
  DesktopOptions options;
  options.backend.provider = "demo";
  options.store.memory = true;
  options.feedback_file = ::testing::TempDir() + "desktop_test_feedback.jsonl";

  // No recorder on PATH and no WAV file: no dictation adapter, so no microphone button.
  const QVariantMap without = capabilities_with_path(options, "/nonexistent");
  EXPECT_TRUE(without.value(QStringLiteral("feedback")).toBool());
  EXPECT_FALSE(without.value(QStringLiteral("dictation")).toBool());

#if AUI_DESKTOP_TESTS_WITH_DICTATION
  // A WAV file to hear: dictation, when the speech model is installed.
  if (!std::ifstream("/usr/share/pocketsphinx/model/en-us/en-us/mdef"))
    GTEST_SKIP() << "the PocketSphinx model (pocketsphinx-en-us) is not installed";
  options.dictation_wav = ::testing::TempDir() + "desktop_test_said.wav";
  { std::ofstream(options.dictation_wav) << "RIFF"; }
  const QVariantMap with = capabilities_with_path(options, "/nonexistent");
  EXPECT_TRUE(with.value(QStringLiteral("dictation")).toBool());
  std::remove(options.dictation_wav.c_str());
#endif
}

TEST(Desktop, ApplySwitchesTheChatAndSaysWhyNot) {
  int argc = 1;
  char name[] = "desktop_test";
  char* argv[] = {name, nullptr};
  QCoreApplication app(argc, argv);
  DesktopOptions options;
  options.backend.provider = "demo";
  options.store.memory = true;
  Desktop desktop(options, chat::AppStore{});
  aui::qt::Chat chat;
  chat.set_backend(desktop.factory());
  ASSERT_TRUE(chat.ready());
  EXPECT_TRUE(desktop.banner().contains(QStringLiteral("Offline demo")));

  // A provider the build or the name does not have: a sentence, and the chat keeps its backend.
  const QString why = desktop.apply(&chat, QStringLiteral("no-such-provider"), {}, {});
  EXPECT_FALSE(why.isEmpty());
  EXPECT_TRUE(chat.ready());
  EXPECT_EQ(desktop.provider(), QStringLiteral("demo"));

  // The demo again, with a model named: applied.
  EXPECT_EQ(desktop.apply(&chat, QStringLiteral("demo"), {}, QStringLiteral("m2")), QString());
  EXPECT_EQ(desktop.model(), QStringLiteral("m2"));
  EXPECT_TRUE(chat.ready());
  // The key is never shown: only where it would come from.
  EXPECT_FALSE(desktop.apiKeySource().isEmpty());
}

}  // namespace
}  // namespace aui::desktop
