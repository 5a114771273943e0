#include "aui/support/owner_thread.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <thread>

namespace aui {
namespace {

TEST(OwnerThread, TheConstructingThreadIsTheOwner) {
  OwnerThread owner;
  EXPECT_TRUE(owner.is_current());
  owner.check("Test::on_owner");  // must not stop the program
  bool elsewhere = true;
  std::thread([&] { elsewhere = owner.is_current(); }).join();
  EXPECT_FALSE(elsewhere);
}

TEST(OwnerThreadDeathTest, ACallFromAnotherThreadStopsWithTheOperationsName) {
  if (!owner_checks_enabled())
    GTEST_SKIP() << "owner checks are compiled in debug and sanitizer builds only";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        OwnerThread owner;
        std::thread([&] { owner.check("ThreadRuntime::append"); }).join();
      },
      "ThreadRuntime::append was called on thread .*, but this object belongs to thread");
}

TEST(Lifetime, AGuardedCallRunsWhileTheOwnerLives) {
  int calls = 0;
  Lifetime lifetime;
  auto fn = lifetime.guard([&](int n) { calls += n; });
  fn(2);
  fn(3);
  EXPECT_EQ(calls, 5);
}

TEST(Lifetime, AGuardedCallDoesNothingAfterTheOwnerIsGone) {
  int calls = 0;
  std::function<void()> fn;
  {
    Lifetime lifetime;
    fn = lifetime.guard([&] { ++calls; });
  }
  fn();
  EXPECT_EQ(calls, 0);
}

TEST(Lifetime, ResetEndsEarlierCallbacksButNotLaterOnes) {
  int early = 0, late = 0;
  Lifetime lifetime;
  auto before = lifetime.guard([&] { ++early; });
  lifetime.reset();
  auto after = lifetime.guard([&] { ++late; });
  before();
  after();
  EXPECT_EQ(early, 0);
  EXPECT_EQ(late, 1);
  EXPECT_FALSE(lifetime.token().expired());
}

TEST(Lifetime, AGuardedCallableMayBeMovedToAnotherThread) {
  int calls = 0;
  Lifetime lifetime;
  std::optional<std::function<void()>> moved;
  std::thread([&, fn = lifetime.guard([&] { ++calls; })]() mutable {
    moved.emplace(std::move(fn));
  }).join();
  (*moved)();
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace aui
