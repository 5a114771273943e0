// CompactVector: one null pointer while empty; copies share the elements until one is modified.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aui/model/message.hpp"
#include "aui/support/compact_vector.hpp"

namespace {

using Vec = aui::CompactVector<std::string>;

TEST(CompactVector, IsOnePointerAndCopiesShareUntilWritten) {
  Vec v;
  EXPECT_EQ(sizeof(v), sizeof(void*));
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(v.begin(), v.end());
  for (auto& s : v) s += "never";  // mutable iteration of an empty vector allocates nothing
  EXPECT_EQ(v, Vec{});

  v.push_back("a");
  v.emplace_back("b");
  Vec copy = v;
  EXPECT_EQ(&std::as_const(copy)[0], &std::as_const(v)[0]);  // shared
  copy[0] = "changed";                                       // unshares first
  EXPECT_EQ(std::as_const(v)[0], "a");
  EXPECT_EQ(std::as_const(copy)[0], "changed");
  EXPECT_EQ(v.size(), 2u);

  copy.erase(copy.cbegin());
  EXPECT_EQ(std::vector<std::string>(copy), (std::vector<std::string>{"b"}));
  copy.erase(copy.cbegin());
  EXPECT_TRUE(copy.empty());
  EXPECT_EQ(copy, Vec{});  // an emptied vector equals a fresh one
  copy.clear();
  EXPECT_EQ(v.to_vector(), (std::vector<std::string>{"a", "b"}));
  EXPECT_THROW((void)v.at(2), std::out_of_range);
}

TEST(CompactVector, AMessageWithoutAttachmentsPaysOnePointerForThem) {
  aui::ThreadMessage m;
  EXPECT_EQ(sizeof(m.attachments), sizeof(void*));
  m.attachments = std::vector<aui::Attachment>{aui::Attachment{.id = "a1", .name = "notes.txt"}};
  aui::ThreadMessage copy = m;
  EXPECT_EQ(copy, m);
  EXPECT_EQ(copy.attachments.front().name, "notes.txt");
}

}  // namespace
