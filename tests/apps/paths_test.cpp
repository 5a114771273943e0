// Paths the user types in aui-chat: Tab completion of /attach, /import and /export arguments.

#include "paths.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

namespace {

namespace fs = std::filesystem;

class CompletePath : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("aui-complete-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "notes" / "deep");
    std::ofstream(root_ / "notes" / "recipe-bread.md") << "flour";
    std::ofstream(root_ / "notes" / "recipe-soup.md") << "water";
    std::ofstream(root_ / "notes" / ".hidden") << "x";
    std::ofstream(root_ / "report.json") << "{}";
  }
  void TearDown() override { fs::remove_all(root_); }
  std::string dir() const { return root_.string() + "/"; }
  fs::path root_;
};

TEST_F(CompletePath, OneMatchIsCompletedWhole) {
  const auto c = aui::chat::complete_path(dir() + "rep");
  EXPECT_EQ(c.completed, dir() + "report.json");
  EXPECT_TRUE(c.candidates.empty());
  EXPECT_EQ(c.matches, 1u);
}

TEST_F(CompletePath, ADirectoryEndsInASlash) {
  EXPECT_EQ(aui::chat::complete_path(dir() + "no").completed, dir() + "notes/");
}

TEST_F(CompletePath, SeveralMatchesCompleteTheirCommonPartAndAreListed) {
  const auto c = aui::chat::complete_path(dir() + "notes/r");
  EXPECT_EQ(c.completed, dir() + "notes/recipe-");
  EXPECT_EQ(c.candidates, (std::vector<std::string>{"recipe-bread.md", "recipe-soup.md"}));
  EXPECT_EQ(c.matches, 2u);
}

TEST_F(CompletePath, HiddenFilesOnlyWhenTheNameStartsWithADot) {
  auto c = aui::chat::complete_path(dir() + "notes/");
  EXPECT_EQ(c.candidates, (std::vector<std::string>{"deep/", "recipe-bread.md", "recipe-soup.md"}));
  c = aui::chat::complete_path(dir() + "notes/.");
  EXPECT_EQ(c.completed, dir() + "notes/.hidden");
}

TEST_F(CompletePath, NothingMatchingLeavesTheTextAsTyped) {
  const auto c = aui::chat::complete_path(dir() + "zzz");
  EXPECT_EQ(c.completed, dir() + "zzz");
  EXPECT_EQ(c.matches, 0u);
  const auto missing = aui::chat::complete_path(dir() + "no-such-dir/x");
  EXPECT_EQ(missing.completed, dir() + "no-such-dir/x");
  EXPECT_EQ(missing.matches, 0u);
}

TEST_F(CompletePath, TheTildeStaysAsTyped) {
  const char* old_home = std::getenv("HOME");
  const std::string saved = old_home ? old_home : "";
  ::setenv("HOME", root_.string().c_str(), 1);
  const auto c = aui::chat::complete_path("~/rep");
  if (old_home) {
    ::setenv("HOME", saved.c_str(), 1);
  } else {
    ::unsetenv("HOME");
  }
  EXPECT_EQ(c.completed, "~/report.json");
}

// Sets an environment variable for one test and puts back what was there.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) saved_ = old;
    if (value) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (saved_) {
      ::setenv(name_, saved_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> saved_;
};

TEST(XdgFile, TheVariableThenTheHomeThenTheFallback) {
  using aui::chat::xdg_file;
  {
    ScopedEnv state("XDG_STATE_HOME", "/x/state");
    ScopedEnv home("HOME", "/home/u");
    EXPECT_EQ(xdg_file("XDG_STATE_HOME", ".local/state", "a.log", "a.log"), "/x/state/aui/a.log");
  }
  {
    ScopedEnv state("XDG_STATE_HOME", "");  // set but empty: as if unset
    ScopedEnv home("HOME", "/home/u");
    EXPECT_EQ(xdg_file("XDG_STATE_HOME", ".local/state", "a.log", "a.log"),
              "/home/u/.local/state/aui/a.log");
  }
  {
    ScopedEnv state("XDG_STATE_HOME", nullptr);
    ScopedEnv home("HOME", nullptr);
    EXPECT_EQ(xdg_file("XDG_STATE_HOME", ".local/state", "a.log", "fallback.log"), "fallback.log");
  }
}

}  // namespace
