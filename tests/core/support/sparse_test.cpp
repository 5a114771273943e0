// Sparse<T>: one pointer; unset reads as T{}; a set value is shared until written.

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <utility>

#include "aui/model/message.hpp"
#include "aui/model/message_json.hpp"
#include "aui/support/sparse.hpp"

namespace {

using aui::Json;
using aui::Sparse;

TEST(Sparse, IsOnePointerAndReadsAsTheDefaultWhileUnset) {
  Sparse<Json> j;
  EXPECT_EQ(sizeof(j), sizeof(void*));
  EXPECT_FALSE(j.has_value());
  EXPECT_TRUE(j->is_null());
  const Json& read = j;
  EXPECT_TRUE(read.is_null());

  Sparse<std::string> s;
  EXPECT_TRUE(s->empty());
  EXPECT_EQ(s, std::string());
}

TEST(Sparse, StoresOnlyAValueOtherThanTheDefault) {
  Sparse<Json> null_given = Json(nullptr);
  EXPECT_FALSE(null_given.has_value());
  Sparse<Json> object_given = Json::object();  // {} is not null: it is kept
  EXPECT_TRUE(object_given.has_value());
  EXPECT_TRUE(object_given->is_object());

  Sparse<std::string> s = "abc";
  EXPECT_TRUE(s.has_value());
  EXPECT_EQ(s, std::string("abc"));
  s = "";
  EXPECT_FALSE(s.has_value());
  EXPECT_EQ(s, Sparse<std::string>{});
}

TEST(Sparse, CopiesShareUntilOneIsWritten) {
  Sparse<Json> a = Json{{"code", "x"}};
  Sparse<Json> b = a;
  EXPECT_EQ(&a.get(), &b.get());
  b.edit()["code"] = "y";
  EXPECT_EQ(a->at("code"), "x");
  EXPECT_EQ(b->at("code"), "y");
  EXPECT_NE(a, b);

  Sparse<Json> unset;
  unset.edit()["k"] = 1;  // edit() of an unset value starts from the default
  EXPECT_EQ(*unset, (Json{{"k", 1}}));
  unset.reset();
  EXPECT_FALSE(unset.has_value());
}

TEST(Sparse, AnEditedBackToDefaultValueEqualsAnUnsetOne) {
  Sparse<std::string> s = "x";
  s.edit().clear();
  EXPECT_EQ(s, Sparse<std::string>{});  // equality compares values, not storage
}

TEST(Sparse, EditsWhileAnotherThreadReadsAndDropsACopy) {
  for (int round = 0; round < 200; ++round) {
    Sparse<Json> a = Json{{"n", round}};
    Sparse<Json> copy = a;
    std::thread reader([c = std::move(copy), round]() mutable {
      EXPECT_EQ(c->at("n"), round);
      c.reset();
    });
    a.edit()["n"] = -1;  // unshares unless the reader has already let go
    reader.join();
    EXPECT_EQ(a->at("n"), -1);
  }
}

TEST(Sparse, MessageFieldsRoundTripThroughJson) {
  aui::ThreadMessage m;
  m.id = "m1";
  m.role = aui::Role::Assistant;
  aui::TextPart part{aui::Text("hi")};
  part.provider_metadata = Json{{"openai", {{"id", "r1"}}}};
  part.parent_id = "p1";
  m.content.push_back(part);
  m.metadata.custom = Json{{"k", "v"}};
  m.status = aui::MessageStatus::incomplete(aui::StatusReason::Error, Json{{"message", "boom"}});
  const Json j = aui::to_json(m);
  EXPECT_EQ(j["content"][0]["providerMetadata"]["openai"]["id"], "r1");
  EXPECT_EQ(j["content"][0]["parentId"], "p1");
  EXPECT_EQ(j["metadata"]["custom"]["k"], "v");
  EXPECT_EQ(j["status"]["error"]["message"], "boom");
  EXPECT_EQ(aui::message_from_json(j), m);

  aui::ThreadMessage plain;
  plain.id = "m2";
  plain.content.push_back(aui::TextPart{aui::Text("hi")});
  const Json p = aui::to_json(plain);
  EXPECT_FALSE(p["content"][0].contains("providerMetadata"));
  EXPECT_FALSE(p["content"][0].contains("parentId"));
  EXPECT_EQ(p["metadata"]["custom"], Json::object());
  EXPECT_FALSE(aui::message_from_json(p).metadata.custom.has_value());
}

}  // namespace
