// SmallVector against std::vector: the same operations give the same sequences, with elements
// that own heap memory (so ASan sees any element that is lost, doubly destroyed or read after
// being moved out of storage).

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "aui/model/message.hpp"
#include "aui/support/small_vector.hpp"

namespace {

using Vec = aui::SmallVector<std::string>;

std::vector<std::string> as_std(const Vec& v) { return {v.begin(), v.end()}; }

TEST(SmallVector, OneElementLivesInsideAndTheSecondMovesEverythingOut) {
  Vec v;
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(v.capacity(), 1u);
  v.push_back(std::string(40, 'a'));  // long enough to own heap memory
  const auto* inside = v.data();
  EXPECT_GE(reinterpret_cast<const char*>(inside), reinterpret_cast<const char*>(&v));
  EXPECT_LT(reinterpret_cast<const char*>(inside), reinterpret_cast<const char*>(&v + 1));
  v.push_back(v[0]);  // an argument that is an element of the vector, while it grows
  EXPECT_EQ(as_std(v), (std::vector<std::string>{std::string(40, 'a'), std::string(40, 'a')}));
  EXPECT_GE(v.capacity(), 2u);

  Vec moved = std::move(v);
  EXPECT_EQ(moved.size(), 2u);
  EXPECT_TRUE(v.empty());  // NOLINT(bugprone-use-after-move): a moved-from vector is empty
  Vec one{"x"};
  Vec taken = std::move(one);
  EXPECT_EQ(as_std(taken), (std::vector<std::string>{"x"}));
  EXPECT_TRUE(one.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_THROW((void)taken.at(1), std::out_of_range);
}

TEST(SmallVector, MatchesAStdVectorUnderRandomOperations) {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    Vec v;
    std::vector<std::string> ref;
    for (int step = 0; step < 60; ++step) {
      const std::string value =
          std::to_string(round) + "-" + std::to_string(step) + std::string(step % 3 * 20, '.');
      const auto pos = ref.empty() ? 0 : rng() % (ref.size() + 1);
      switch (rng() % 10) {
        case 0:
        case 1:
          v.push_back(value);
          ref.push_back(value);
          break;
        case 2:
          v.insert(v.begin() + static_cast<std::ptrdiff_t>(pos), value);
          ref.insert(ref.begin() + static_cast<std::ptrdiff_t>(pos), value);
          break;
        case 3: {
          const std::vector<std::string> more{value, value + "b"};
          v.insert(v.begin() + static_cast<std::ptrdiff_t>(pos), more.begin(), more.end());
          ref.insert(ref.begin() + static_cast<std::ptrdiff_t>(pos), more.begin(), more.end());
          break;
        }
        case 4:
          if (!ref.empty()) {
            const auto at = static_cast<std::ptrdiff_t>(rng() % ref.size());
            v.erase(v.begin() + at);
            ref.erase(ref.begin() + at);
          }
          break;
        case 5:
          if (!ref.empty()) {
            v.pop_back();
            ref.pop_back();
          }
          break;
        case 6: {
          Vec copy = v;  // copies are independent
          copy.push_back("copy");
          v = copy;
          v.pop_back();
          break;
        }
        case 7: {
          Vec other = std::move(v);
          v = std::move(other);
          break;
        }
        case 8:
          if (rng() % 8 == 0) {
            v.clear();
            ref.clear();
          } else {
            v.reserve(ref.size() + 3);
          }
          break;
        default:
          erase_if(v, [&](const std::string& s) { return s.size() > 40; });
          std::erase_if(ref, [&](const std::string& s) { return s.size() > 40; });
          break;
      }
      ASSERT_EQ(as_std(v), ref) << "round " << round << " step " << step;
    }
  }
}

TEST(SmallVector, AOnePartMessageNeedsNoAllocationForItsContent) {
  aui::ThreadMessage m;
  m.content.push_back(aui::TextPart{"hello"});
  const auto* part = reinterpret_cast<const char*>(m.content.data());
  EXPECT_GE(part, reinterpret_cast<const char*>(&m));
  EXPECT_LT(part, reinterpret_cast<const char*>(&m + 1));
  aui::ThreadMessage copy = m;
  EXPECT_EQ(copy, m);
  EXPECT_EQ(copy.content.front().as<aui::TextPart>().text, "hello");
}

}  // namespace
