// Terminal capabilities from terminfo (ncursesw) and the environment.

#include "aui/tui/terminal_caps.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace {

using aui::tui::ColorMode;
using aui::tui::detect_terminal_caps;

// Sets environment variables for one test and puts them back.
class Env {
 public:
  void set(const char* name, const char* value) {
    const char* old = std::getenv(name);
    saved_.push_back({name, old ? std::optional<std::string>(old) : std::nullopt});
    if (value) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
  ~Env() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (it->second) {
        setenv(it->first.c_str(), it->second->c_str(), 1);
      } else {
        unsetenv(it->first.c_str());
      }
    }
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

void plain(Env& env, const char* term) {
  env.set("TERM", term);
  for (const char* name :
       {"COLORTERM", "NO_COLOR", "AUI_HYPERLINKS", "KITTY_WINDOW_ID", "WEZTERM_EXECUTABLE",
        "WT_SESSION", "GHOSTTY_RESOURCES_DIR", "TERM_PROGRAM", "VTE_VERSION"}) {
    env.set(name, nullptr);
  }
}

TEST(TerminalCaps, FromTerminfo) {
  Env env;
  plain(env, "xterm-256color");
  auto caps = detect_terminal_caps();
  EXPECT_EQ(caps.colors, ColorMode::Indexed256);
  EXPECT_TRUE(caps.italic);
  EXPECT_TRUE(caps.bold);
  EXPECT_TRUE(caps.back_color_erase);
  EXPECT_FALSE(caps.hyperlinks);

  plain(env, "vt100");  // no colours in its entry, no italics, no dim
  caps = detect_terminal_caps();
  EXPECT_FALSE(caps.italic);
  EXPECT_FALSE(caps.dim);
  EXPECT_TRUE(caps.underline);

  plain(env, "screen");  // tmux's default: 8 colours, italics shown as reverse, so none
  caps = detect_terminal_caps();
  EXPECT_EQ(caps.colors, ColorMode::Basic16);
  EXPECT_FALSE(caps.italic);

  plain(env, "dumb");
  EXPECT_EQ(detect_terminal_caps().colors, ColorMode::None);
}

TEST(TerminalCaps, EnvironmentSaysTrueColourNoColourAndLinks) {
  Env env;
  plain(env, "xterm-256color");
  env.set("COLORTERM", "truecolor");
  EXPECT_EQ(detect_terminal_caps().colors, ColorMode::TrueColor);
  env.set("NO_COLOR", "1");
  EXPECT_EQ(detect_terminal_caps().colors, ColorMode::None);
  env.set("NO_COLOR", nullptr);
  env.set("VTE_VERSION", "7200");
  EXPECT_TRUE(detect_terminal_caps().hyperlinks);
  env.set("VTE_VERSION", "4800");
  EXPECT_FALSE(detect_terminal_caps().hyperlinks);
  env.set("AUI_HYPERLINKS", "1");
  EXPECT_TRUE(detect_terminal_caps().hyperlinks);
  env.set("KITTY_WINDOW_ID", "1");
  env.set("AUI_HYPERLINKS", "0");
  EXPECT_FALSE(detect_terminal_caps().hyperlinks);
}

TEST(TerminalCaps, AnUnknownTermKeepsTheDefaults) {
  Env env;
  plain(env, "no-such-terminal-anywhere");
  const auto caps = detect_terminal_caps();
  EXPECT_TRUE(caps.italic);
  EXPECT_EQ(caps.colors, ColorMode::Basic16);
}

}  // namespace
