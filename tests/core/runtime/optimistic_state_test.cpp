// The optimistic state engine (spec §14.14): effects show at once, failures roll back, overlapping
// transforms land in invocation order, a `then` that replaces the base keeps completed effects.

#include "aui/runtime/optimistic_state.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace {

using aui::OptimisticState;
using State = std::map<std::string, std::string>;
using Engine = OptimisticState<State>;

Engine::Update set(const std::string& key, const std::string& value) {
  return [key, value](State s) {
    s[key] = value;
    return s;
  };
}

Engine::Update erase(const std::string& key) {
  return [key](State s) {
    s.erase(key);
    return s;
  };
}

TEST(OptimisticState, AnEffectShowsAtOnceAndStaysOnSuccess) {
  Engine e(State{{"title", "old"}});
  auto t = e.start(set("title", "new"));
  EXPECT_EQ(e.value().at("title"), "new");
  EXPECT_EQ(e.base().at("title"), "old");
  EXPECT_TRUE(e.pending());
  e.succeed(t);
  EXPECT_EQ(e.value().at("title"), "new");
  EXPECT_EQ(e.base().at("title"), "new");
  EXPECT_FALSE(e.pending());
}

TEST(OptimisticState, AFailureRollsTheEffectBack) {
  Engine e(State{{"title", "old"}});
  auto t = e.start(set("title", "new"));
  e.fail(t);
  EXPECT_EQ(e.value().at("title"), "old");
  EXPECT_FALSE(e.pending());
}

TEST(OptimisticState, OverlappingTransformsApplyInInvocationOrder) {
  // A then B on the same field; B completes first, then A: B (invoked last) wins.
  Engine e(State{{"title", "old"}});
  auto a = e.start(set("title", "A"));
  auto b = e.start(set("title", "B"));
  EXPECT_EQ(e.value().at("title"), "B");
  e.succeed(b);
  EXPECT_EQ(e.value().at("title"), "B");
  e.succeed(a);
  EXPECT_EQ(e.value().at("title"), "B");
  EXPECT_EQ(e.base().at("title"), "B");
}

TEST(OptimisticState, AnEarlierFailureKeepsALaterSuccess) {
  Engine e(State{{"title", "old"}});
  auto a = e.start(set("title", "A"));
  auto b = e.start(set("title", "B"));
  e.succeed(b);
  e.fail(a);
  EXPECT_EQ(e.value().at("title"), "B");
}

TEST(OptimisticState, ALaterFailureRevealsTheEarlierEffect) {
  Engine e(State{{"title", "old"}});
  auto a = e.start(set("title", "A"));
  auto b = e.start(set("title", "B"));
  e.fail(b);
  EXPECT_EQ(e.value().at("title"), "A");
  e.succeed(a);
  EXPECT_EQ(e.value().at("title"), "A");
}

TEST(OptimisticState, AThenReplacingTheBaseKeepsEffectsCompletedMeanwhile) {
  // A list (the `then`) is in flight; a delete completes; the stale response must not
  // resurrect the deleted entry.
  Engine e(State{{"thread-A", "listed"}});
  auto list = e.start({});
  auto del = e.start(erase("thread-A"));
  e.succeed(del);
  EXPECT_EQ(e.value().count("thread-A"), 0U);
  e.succeed(list, [](State) { return State{{"thread-A", "listed"}, {"thread-B", "listed"}}; });
  EXPECT_EQ(e.value().count("thread-A"), 0U);
  EXPECT_EQ(e.value().count("thread-B"), 1U);
  EXPECT_EQ(e.base().count("thread-A"), 0U);
}

TEST(OptimisticState, EffectsCompletedBeforeATransformStartedAreNotReapplied) {
  // Nothing pending when the rename completed: it is part of the base for good, and a later
  // response may overwrite it.
  Engine e(State{{"title", "old"}});
  auto r = e.start(set("title", "renamed"));
  e.succeed(r);
  auto list = e.start({});
  e.succeed(list, [](State s) {
    s["title"] = "server";
    return s;
  });
  EXPECT_EQ(e.value().at("title"), "server");
}

TEST(OptimisticState, LoadingShowsOnlyWhilePending) {
  Engine e(State{});
  auto t = e.start(set("title", "new"), set("loading", "yes"));
  EXPECT_EQ(e.value().at("loading"), "yes");
  e.succeed(t);
  EXPECT_EQ(e.value().count("loading"), 0U);
  auto u = e.start({}, set("loading", "yes"));
  e.fail(u);
  EXPECT_EQ(e.value().count("loading"), 0U);
}

TEST(OptimisticState, ResetDiscardsPendingAndLateCompletionsChangeNothing) {
  Engine e(State{{"title", "old"}});
  auto a = e.start(set("title", "A"));
  e.reset(State{{"title", "fresh"}});
  EXPECT_EQ(e.value().at("title"), "fresh");
  EXPECT_FALSE(e.pending());
  e.succeed(a, [](State s) {
    s["title"] = "late";
    return s;
  });
  e.fail(a);
  EXPECT_EQ(e.value().at("title"), "fresh");
}

TEST(OptimisticState, ADirectBaseUpdateStaysUnderPendingEffects) {
  Engine e(State{{"title", "old"}});
  auto a = e.start(set("title", "A"));
  e.update_base(set("title", "direct"));
  EXPECT_EQ(e.value().at("title"), "A");
  e.fail(a);
  EXPECT_EQ(e.value().at("title"), "direct");
}

}  // namespace
