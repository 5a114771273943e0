// PersistentVector::for_each_difference: the indices where two snapshots differ, found without
// reading the storage they share (what the Qt message model's per-token cost rests on).

#include <gtest/gtest.h>

#include <cstddef>
#include <memory>
#include <random>
#include <vector>

#include "aui/support/persistent_vector.hpp"

namespace {

using Vec = aui::PersistentVector<std::shared_ptr<int>>;

Vec make(std::size_t n) {
  std::vector<std::shared_ptr<int>> items;
  for (std::size_t i = 0; i < n; ++i) items.push_back(std::make_shared<int>(static_cast<int>(i)));
  return Vec().append(items.begin(), items.end());
}

std::vector<std::size_t> differences(const Vec& a, const Vec& b) {
  std::vector<std::size_t> out;
  a.for_each_difference(b, [&](std::size_t i) { out.push_back(i); });
  return out;
}

// What a plain walk finds: every index below both sizes where the items differ.
std::vector<std::size_t> walked(const Vec& a, const Vec& b) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (a[i] != b[i]) out.push_back(i);
  }
  return out;
}

// An item type that counts its comparisons: shared storage must not be read.
struct Counted {
  int value = 0;
  static inline int comparisons = 0;
  friend bool operator==(const Counted& a, const Counted& b) {
    ++comparisons;
    return a.value == b.value;
  }
};

}  // namespace

TEST(PersistentVectorDiff, FindsTheChangedIndicesOfSetTakeAndAppend) {
  for (std::size_t n : {0u, 1u, 31u, 32u, 33u, 1000u, 1024u, 1025u, 40000u}) {
    const Vec v = make(n);
    EXPECT_TRUE(differences(v, v).empty()) << n;
    if (n == 0) continue;
    const Vec last = v.set(n - 1, std::make_shared<int>(-1));
    EXPECT_EQ(differences(v, last), std::vector<std::size_t>{n - 1}) << n;
    const Vec first = v.set(0, std::make_shared<int>(-1));
    EXPECT_EQ(differences(v, first), std::vector<std::size_t>{0}) << n;
    // A branch switch: cut at the middle, new items after.
    const Vec cut = v.take(n / 2);
    std::vector<std::shared_ptr<int>> tail;
    for (std::size_t i = n / 2; i < n + 5; ++i) tail.push_back(std::make_shared<int>(-2));
    const Vec other = cut.append(tail.begin(), tail.end());
    EXPECT_EQ(differences(v, other), walked(v, other)) << n;
    EXPECT_EQ(differences(other, v), walked(other, v)) << n;
    EXPECT_TRUE(differences(v, cut).empty()) << n;
  }
}

TEST(PersistentVectorDiff, MatchesAPlainWalkUnderRandomEdits) {
  std::mt19937 rng(7);
  Vec v = make(3000);
  for (int round = 0; round < 300; ++round) {
    Vec next = v;
    const int edits = static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !next.empty(); ++e) {
      switch (rng() % 3) {
        case 0: next = next.set(rng() % next.size(), std::make_shared<int>(round)); break;
        case 1: next = next.take(rng() % (next.size() + 1)); break;
        default: {
          std::vector<std::shared_ptr<int>> more(rng() % 70);
          for (auto& p : more) p = std::make_shared<int>(round);
          next = next.append(more.begin(), more.end());
        }
      }
    }
    ASSERT_EQ(differences(v, next), walked(v, next)) << round;
    ASSERT_EQ(differences(next, v), walked(next, v)) << round;
    v = next;
  }
}

TEST(PersistentVectorDiff, ReadsOnlyTheLeavesThatChanged) {
  std::vector<Counted> items(100000);
  for (std::size_t i = 0; i < items.size(); ++i) items[i].value = static_cast<int>(i);
  const auto v = aui::PersistentVector<Counted>().append(items.begin(), items.end());
  const auto deep = v.set(5000, Counted{-1});
  Counted::comparisons = 0;
  std::vector<std::size_t> found;
  v.for_each_difference(deep, [&](std::size_t i) { found.push_back(i); });
  EXPECT_EQ(found, std::vector<std::size_t>{5000});
  // One leaf of 32 and the tail (at most 32), not 100,000 items.
  EXPECT_LE(Counted::comparisons, 64);
}
