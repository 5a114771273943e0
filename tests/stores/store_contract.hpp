#pragma once
// The contract every ThreadStore keeps, as a typed test suite. Each store's test binary
// instantiates it with a factory:
//
//   struct Factory {
//     std::shared_ptr<aui::ThreadStore> make(std::size_t page_size = 50);  // a fresh, empty store
//     std::shared_ptr<aui::ThreadStore> reopen();  // another connection to the same store (a
//                                                  // restart: recovers interrupted messages)
//   };

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "aui/adapters/thread_store.hpp"
#include "aui/model/message_json.hpp"
#include "aui/support/errors.hpp"
#include "aui/tree/message_repository.hpp"

namespace aui::store_testing {

inline Timestamp at(int seconds) {
  return Timestamp(std::chrono::milliseconds(1'780'000'000'000LL + seconds * 1000LL));
}

inline MessagePtr user(const std::string& id, const std::string& text, int t = 0) {
  auto m = std::make_shared<ThreadMessage>();
  m->id = id;
  m->role = Role::User;
  m->created_at = at(t);
  m->content.push_back(TextPart{Text(text)});
  m->status = MessageStatus::complete();
  return m;
}

inline MessagePtr assistant(const std::string& id, const std::string& text, MessageStatus status,
                            int t = 0) {
  auto m = std::make_shared<ThreadMessage>();
  m->id = id;
  m->role = Role::Assistant;
  m->created_at = at(t);
  m->content.push_back(TextPart{Text(text)});
  m->status = std::move(status);
  return m;
}

inline ExportedMessageRepositoryItem item(MessagePtr m, std::optional<Id> parent = std::nullopt,
                                          std::optional<RunConfig> rc = std::nullopt) {
  return ExportedMessageRepositoryItem{std::move(m), std::move(parent), std::move(rc)};
}

template <class F>
std::optional<ErrorKind> error_kind(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind();
  }
  return std::nullopt;
}

inline std::vector<std::string> ids_of(const ThreadHistoryLoadResult& r) {
  std::vector<std::string> out;
  for (const auto& i : r.messages) out.push_back(i.message->id);
  return out;
}

template <class Factory>
class StoreContract : public ::testing::Test {
 protected:
  Factory factory;
};

TYPED_TEST_SUITE_P(StoreContract);

TYPED_TEST_P(StoreContract, EmptyStoreListsNothingAndUnknownThreadLoadsEmpty) {
  auto store = this->factory.make();
  EXPECT_TRUE(store->list(std::nullopt).threads.empty());
  auto loaded = store->history("nope")->load();
  EXPECT_TRUE(loaded.messages.empty());
  EXPECT_FALSE(loaded.head_id);
  EXPECT_EQ(error_kind([&] { store->fetch("nope"); }), ErrorKind::ThreadNotFound);
  EXPECT_EQ(error_kind([&] { store->export_thread("nope"); }), ErrorKind::ThreadNotFound);
}

TYPED_TEST_P(StoreContract, InitializeCreatesARegularThreadFoundByRemoteOrLocalId) {
  auto store = this->factory.make();
  const auto r = store->initialize("__LOCALID_abc");
  EXPECT_FALSE(r.remote_id.empty());
  EXPECT_NE(r.remote_id, "__LOCALID_abc");
  EXPECT_EQ(store->initialize("__LOCALID_abc").remote_id, r.remote_id)
      << "initialize is idempotent";
  const auto by_remote = store->fetch(r.remote_id);
  EXPECT_EQ(by_remote.remote_id, r.remote_id);
  EXPECT_EQ(by_remote.status, ThreadStatus::Regular);
  EXPECT_FALSE(by_remote.title);
  EXPECT_EQ(store->fetch("__LOCALID_abc").remote_id, r.remote_id);
  const auto page = store->list(std::nullopt);
  ASSERT_EQ(page.threads.size(), 1u);
  EXPECT_EQ(page.threads[0].remote_id, r.remote_id);
  EXPECT_FALSE(page.next_cursor);
}

TYPED_TEST_P(StoreContract, RenameArchiveUnarchiveAndCustomPersist) {
  auto store = this->factory.make();
  const auto id = store->initialize("l1").remote_id;
  store->update_custom(id, Json{{"color", "blue"}, {"n", 3}});
  store->rename(id, "Trip to Lisbon");
  store->archive(id);
  {
    auto again = this->factory.reopen();
    const auto m = again->fetch(id);
    EXPECT_EQ(m.title, "Trip to Lisbon");
    EXPECT_EQ(m.status, ThreadStatus::Archived);
    ASSERT_TRUE(m.custom);
    EXPECT_EQ(*m.custom, (Json{{"color", "blue"}, {"n", 3}}))
        << "custom survives rename and archive";
  }
  store->unarchive(id);
  EXPECT_EQ(store->fetch(id).status, ThreadStatus::Regular);
  store->update_custom(id, std::nullopt);
  EXPECT_FALSE(store->fetch(id).custom);
  EXPECT_EQ(error_kind([&] { store->rename("missing", "x"); }), ErrorKind::ThreadNotFound);
  EXPECT_EQ(error_kind([&] { store->archive("missing"); }), ErrorKind::ThreadNotFound);
  EXPECT_EQ(error_kind([&] { store->unarchive("missing"); }), ErrorKind::ThreadNotFound);
  EXPECT_EQ(error_kind([&] { store->update_custom("missing", Json::object()); }),
            ErrorKind::ThreadNotFound);
  EXPECT_EQ(error_kind([&] { store->remove("missing"); }), ErrorKind::ThreadNotFound);
}

TYPED_TEST_P(StoreContract, ListIsNewestFirstInPagesWithoutGapsOrRepeats) {
  auto store = this->factory.make(2);
  for (int i = 0; i < 5; ++i) {
    const std::string t = "thread" + std::to_string(i);
    store->history(t)->append(item(user("u" + std::to_string(i), "hello", i * 10)));
  }
  std::vector<std::string> seen;
  std::optional<std::string> cursor;
  int pages = 0;
  do {
    auto page = store->list(cursor);
    ++pages;
    EXPECT_LE(page.threads.size(), 2u);
    for (const auto& t : page.threads) seen.push_back(t.remote_id);
    cursor = page.next_cursor;
  } while (cursor && !cursor->empty() && pages < 10);
  EXPECT_EQ(seen,
            (std::vector<std::string>{"thread4", "thread3", "thread2", "thread1", "thread0"}));
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(store->fetch("thread3").last_message_at, at(30));
  EXPECT_EQ(error_kind([&] { store->list(std::string("garbage")); }), ErrorKind::InvalidArgument);
}

TYPED_TEST_P(StoreContract, TheWholeTreeWithBranchesSurvivesARestart) {
  auto store = this->factory.make();
  auto h = store->history("t");
  RunConfig rc;
  rc.custom = Json{{"temperature", 0.5}};
  const auto u1 = user("u1", "What is the capital of France?", 1);
  const auto a1 = assistant("a1", "Paris.", MessageStatus::complete(StatusReason::Stop), 2);
  const auto a2 = assistant("a2", "It is Paris, of course.", MessageStatus::complete(), 3);
  const auto u2 = user("u2", "And of Spain?", 4);
  const auto a3 = assistant("a3", "Madrid.", MessageStatus::complete(StatusReason::Stop), 5);
  h->append(item(u1));
  h->append(item(a1, "u1", rc));
  h->append(item(a2, "u1"));  // a regenerated sibling: a second branch
  h->append(item(u2, "a2"));
  h->append(item(a3, "u2", rc));

  auto again = this->factory.reopen();
  const auto loaded = again->history("t")->load();
  EXPECT_EQ(ids_of(loaded), (std::vector<std::string>{"u1", "a1", "a2", "u2", "a3"}));
  EXPECT_EQ(loaded.head_id, "a3");
  ASSERT_EQ(loaded.messages.size(), 5u);
  EXPECT_EQ(*loaded.messages[0].message, *u1);
  EXPECT_EQ(*loaded.messages[1].message, *a1);
  EXPECT_EQ(loaded.messages[1].parent_id, "u1");
  EXPECT_EQ(loaded.messages[1].run_config, rc);
  EXPECT_FALSE(loaded.messages[2].run_config);
  EXPECT_EQ(loaded.messages[2].parent_id, "u1");
  EXPECT_EQ(*loaded.messages[4].message, *a3);

  // It imports into a repository with both branches and the newest one current.
  MessageRepository repo;
  repo.import_repository(ExportedMessageRepository{loaded.head_id, loaded.messages});
  EXPECT_EQ(repo.size(), 5u);
  EXPECT_EQ(repo.get_branches("a1"), (std::vector<Id>{"a1", "a2"}));
  EXPECT_EQ(repo.messages().back()->id, "a3");
  // The JSON export is assistant-ui's shape and parses back to the same tree.
  const Json j = again->export_json("t");
  const auto parsed = repository_from_json(j);
  EXPECT_EQ(parsed.head_id, "a3");
  EXPECT_EQ(parsed.messages.size(), 5u);
  EXPECT_EQ(j["messages"][1]["parentId"], "u1");
}

TYPED_TEST_P(StoreContract, AppendAndUpdateAreUpsertsByMessageId) {
  auto store = this->factory.make();
  auto h = store->history("t");
  h->append(item(user("u1", "hi")));
  h->update(item(assistant("a1", "Hel", MessageStatus::requires_action()),
                 "u1"));  // unknown id: inserted
  h->update(item(assistant("a1", "Hello", MessageStatus::complete()), "u1"));
  h->append(item(user("u1", "hi there")));  // known id: replaced
  const auto loaded = store->history("t")->load();
  ASSERT_EQ(loaded.messages.size(), 2u);
  EXPECT_EQ(loaded.messages[0].message->text(), "hi there");
  EXPECT_EQ(loaded.messages[1].message->text(), "Hello");
  EXPECT_TRUE(loaded.messages[1].message->status.is(StatusType::Complete));
  EXPECT_TRUE(h->has_update());
  EXPECT_TRUE(h->has_delete());
}

TYPED_TEST_P(StoreContract, ALateRunningCheckpointNeverUndoesTheEndOfARun) {
  auto store = this->factory.make();
  auto h = store->history("t");
  h->append(item(user("u1", "hi")));
  h->update(item(assistant("a1", "Hel", MessageStatus::running()), "u1"));
  h->update(
      item(assistant("a1", "Hello wor", MessageStatus::running()), "u1"));  // running over running
  EXPECT_EQ(store->history("t")->load().messages[1].message->text(), "Hello wor");
  h->append(
      item(assistant("a1", "Hello world", MessageStatus::complete(StatusReason::Stop)), "u1"));
  h->update(item(assistant("a1", "Hello wor", MessageStatus::running()), "u1"));  // late checkpoint
  auto loaded = store->history("t")->load();
  EXPECT_EQ(loaded.messages[1].message->text(), "Hello world");
  EXPECT_TRUE(loaded.messages[1].message->status.is(StatusType::Complete, StatusReason::Stop));

  // A paused message (requires-action) may be overwritten by the running continuation.
  h->append(item(assistant("a2", "calling", MessageStatus::requires_action()), "u1"));
  h->update(item(assistant("a2", "calling… done", MessageStatus::running()), "u1"));
  loaded = store->history("t")->load();
  EXPECT_EQ(loaded.messages[2].message->text(), "calling… done");
}

TYPED_TEST_P(StoreContract, ARunningReplyLeftByACrashIsIncompleteAfterRestart) {
  auto store = this->factory.make();
  auto h = store->history("t");
  h->append(item(user("u1", "tell me a story")));
  h->update(item(assistant("a1", "Once upon a", MessageStatus::running()), "u1"));
  store.reset();  // the app dies mid-stream

  auto again = this->factory.reopen();
  const auto loaded = again->history("t")->load();
  ASSERT_EQ(loaded.messages.size(), 2u);
  const auto& m = *loaded.messages[1].message;
  EXPECT_EQ(m.text(), "Once upon a") << "the checkpointed text is kept";
  EXPECT_TRUE(m.status.is(StatusType::Incomplete, StatusReason::Error));
  EXPECT_EQ(m.status.error->at("code"), "interrupted");
  EXPECT_EQ(again->recover_interrupted(), 0u) << "nothing left to recover";
}

TYPED_TEST_P(StoreContract, DeletingAMessageMovesItsChildrenUp) {
  auto store = this->factory.make();
  auto h = store->history("t");
  h->append(item(user("u1", "one")));
  h->append(item(assistant("a1", "two", MessageStatus::complete()), "u1"));
  h->append(item(user("u2", "three"), "a1"));
  h->append(item(assistant("a2", "four", MessageStatus::complete()), "u2"));
  h->remove({item(assistant("a1", "two", MessageStatus::complete()), "u1")});
  const auto loaded = store->history("t")->load();
  EXPECT_EQ(ids_of(loaded), (std::vector<std::string>{"u1", "u2", "a2"}));
  EXPECT_EQ(loaded.messages[1].parent_id, "u1");
  EXPECT_EQ(loaded.head_id, "a2");
  h->remove({item(user("zz", "gone"))});  // unknown: nothing happens
  EXPECT_EQ(store->history("t")->load().messages.size(), 3u);
}

TYPED_TEST_P(StoreContract, AChildWrittenBeforeItsParentLoadsAfterIt) {
  auto store = this->factory.make();
  auto h = store->history("t");
  h->update(item(assistant("a1", "streaming", MessageStatus::running()),
                 "u1"));  // checkpoint raced ahead
  h->append(item(user("u1", "question")));
  h->append(item(user("x1", "orphan"), "missing"));
  const auto loaded = h->load();
  EXPECT_EQ(ids_of(loaded), (std::vector<std::string>{"u1", "a1"})) << "an orphan is left out";
  EXPECT_EQ(loaded.head_id, "a1") << "the head is a leaf, not the last written parent";
}

TYPED_TEST_P(StoreContract, SearchFindsWordsAcrossThreads) {
  auto store = this->factory.make();
  store->history("t1")->append(item(user("u1", "How do I bake sourdough bread at home?")));
  store->history("t1")->append(item(
      assistant("a1", "Feed the starter, then bake at 250 degrees.", MessageStatus::complete()),
      "u1"));
  store->history("t2")->append(item(user("u2", "Which bread goes with soup?")));
  store->history("t2")->append(item(user("u3", "Nothing about that here")));

  auto hits = store->search("bread");
  std::set<std::pair<std::string, std::string>> found;
  for (const auto& h : hits) found.insert({h.thread_id, h.message_id});
  EXPECT_EQ(found, (std::set<std::pair<std::string, std::string>>{{"t1", "u1"}, {"t2", "u2"}}));
  for (const auto& h : hits) EXPECT_NE(h.snippet.find("[bread]"), std::string::npos) << h.snippet;

  hits = store->search("BAKE sourdough");
  ASSERT_EQ(hits.size(), 1u) << "all words must occur; case does not matter";
  EXPECT_EQ(hits[0].message_id, "u1");
  EXPECT_EQ(store->search("bread", 1).size(), 1u);
  EXPECT_TRUE(store->search("pizza").empty());
  EXPECT_TRUE(store->search("   ").empty());
  EXPECT_NO_THROW(store->search("\"bread* AND (soup OR -x) NEAR: ' ; --"));

  // An updated message is found by its new words only; a removed thread is not found.
  store->history("t2")->append(item(user("u2", "Which pasta goes with soup?")));
  hits = store->search("bread");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].message_id, "u1");
  EXPECT_EQ(store->search("pasta").size(), 1u);
  store->remove("t1");
  EXPECT_TRUE(store->search("bread").empty());
  EXPECT_TRUE(store->history("t1")->load().messages.empty());
}

/// The (thread, message) pairs of search hits, in the order found.
inline std::vector<std::pair<std::string, std::string>> hit_ids(
    const std::vector<ThreadSearchHit>& hits) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& h : hits) out.emplace_back(h.thread_id, h.message_id);
  return out;
}

// Issue 17: search finds substrings — inside words, inside CJK runs, short words too — in any
// ASCII case, with nothing typed taken as pattern syntax; the same list on every store.
TYPED_TEST_P(StoreContract, SearchFindsSubstringsInAnyCaseNewestFirst) {
  using Hits = std::vector<std::pair<std::string, std::string>>;
  auto store = this->factory.make();
  store->history("t1")->append(item(user("u1", "How do I bake Sourdough bread at home?")));
  store->history("t2")->append(item(user("u2", "你好世界，今天怎么样？")));
  store->history("t2")->append(item(user("u3", "Discount: 100% off, file a_b.txt")));
  store->history("t3")->append(item(user("u4", "sourdough again, in a newer thread")));

  auto hits = store->search("sourdo");
  EXPECT_EQ(hit_ids(hits), (Hits{{"t3", "u4"}, {"t1", "u1"}})) << "inside a word, newest first";
  for (const auto& h : hits) {
    EXPECT_TRUE(h.snippet.find("[Sourdo]") != std::string::npos ||
                h.snippet.find("[sourdo]") != std::string::npos)
        << "the match is marked as written: " << h.snippet;
  }
  EXPECT_EQ(hit_ids(store->search("SOURDOUGH")), (Hits{{"t3", "u4"}, {"t1", "u1"}}));
  EXPECT_EQ(hit_ids(store->search("ourdoug bread")), (Hits{{"t1", "u1"}})) << "every word";

  // CJK: two characters (under a trigram) and three (one trigram) inside a longer run.
  hits = store->search("你好");
  EXPECT_EQ(hit_ids(hits), (Hits{{"t2", "u2"}}));
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].snippet.rfind("[你好]世界", 0), 0u) << hits[0].snippet;
  EXPECT_EQ(hit_ids(store->search("好世界")), (Hits{{"t2", "u2"}}));
  EXPECT_EQ(hit_ids(store->search("今天 你好")), (Hits{{"t2", "u2"}}));
  EXPECT_TRUE(store->search("你们").empty());

  // Short words: one or two characters, alone or with a long one, in any ASCII case.
  EXPECT_EQ(hit_ids(store->search("Do")), (Hits{{"t3", "u4"}, {"t1", "u1"}})) << "do, sourDOugh";
  EXPECT_EQ(hit_ids(store->search("GH ag")), (Hits{{"t3", "u4"}}));
  EXPECT_EQ(hit_ids(store->search("bread x")), Hits{});
  EXPECT_EQ(hit_ids(store->search("bread at")), (Hits{{"t1", "u1"}}));

  // LIKE's wildcards and the escape character are plain characters.
  EXPECT_EQ(hit_ids(store->search("0%")), (Hits{{"t2", "u3"}}));
  EXPECT_EQ(hit_ids(store->search("100% off")), (Hits{{"t2", "u3"}}));
  EXPECT_TRUE(store->search("%").size() == 1u);
  EXPECT_EQ(hit_ids(store->search("a_b")), (Hits{{"t2", "u3"}}));
  EXPECT_TRUE(store->search("a_c").empty());
  EXPECT_TRUE(store->search("_x").empty());
  EXPECT_TRUE(store->search("\\").empty());
  EXPECT_TRUE(store->search("\\%").empty());

  // The limit holds on both paths (index and scan).
  EXPECT_EQ(hit_ids(store->search("sourdough", 1)), (Hits{{"t3", "u4"}}));
  EXPECT_EQ(hit_ids(store->search("o", 2)), (Hits{{"t3", "u4"}, {"t2", "u3"}}));
}

TYPED_TEST_P(StoreContract, MarkdownExportShowsTheCurrentBranchUnderTheTitle) {
  auto store = this->factory.make();
  auto h = store->history("t");
  h->append(item(user("u1", "Name a colour", 1)));
  h->append(item(assistant("a1", "Red", MessageStatus::complete(), 2), "u1"));
  h->append(item(assistant("a2", "Blue", MessageStatus::complete(), 3), "u1"));
  store->rename("t", "Colours");
  const std::string md = store->export_markdown("t");
  EXPECT_EQ(md, "# Colours\n\n## User\n\nName a colour\n\n## Assistant\n\nBlue\n");
}

TYPED_TEST_P(StoreContract, GenerateTitleUsesTheFirstUserLineAndStoresIt) {
  auto store = this->factory.make();
  const auto id = store->initialize("l").remote_id;
  MessageList messages;
  messages = messages.push_back(user("u1", "  Plan a weekend in Porto\nwith two kids"));
  std::vector<std::string> reported;
  store->generate_title(id, messages, [&](const std::string& t) {
    reported.push_back(t);
    return true;
  });
  EXPECT_EQ(reported, (std::vector<std::string>{"Plan a weekend in Porto"}));
  EXPECT_EQ(store->fetch(id).title, "Plan a weekend in Porto");
}

TYPED_TEST_P(StoreContract, AGeneratedTitleNeverReplacesOneTheUserGave) {
  auto store = this->factory.make();
  const auto id = store->initialize("l").remote_id;
  store->rename(id, "Trip");
  MessageList messages;
  messages = messages.push_back(user("u1", "Plan a weekend in Porto"));
  std::vector<std::string> reported;
  store->generate_title(id, messages, [&](const std::string& t) {
    reported.push_back(t);
    return true;
  });
  EXPECT_EQ(reported, (std::vector<std::string>{"Trip"}));
  EXPECT_EQ(store->fetch(id).title, "Trip");
  // The step itself: an untitled thread takes the title, a titled one keeps its own.
  const auto other = store->initialize("m").remote_id;
  EXPECT_EQ(store->title_unless_titled(other, "First"), "First");
  EXPECT_EQ(store->title_unless_titled(other, "Second"), "First");
  EXPECT_EQ(store->fetch(other).title, "First");
  try {
    store->title_unless_titled("no-such-thread", "x");
    ADD_FAILURE() << "an unknown thread was titled";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::ThreadNotFound);
  }
}

TYPED_TEST_P(StoreContract, TwoConnectionsWritingAtOnceLoseNothing) {
  auto first = this->factory.make();
  auto second = this->factory.reopen();
  constexpr int n = 150;
  auto writer = [](std::shared_ptr<ThreadStore> store, std::string prefix) {
    auto h = store->history("shared");
    for (int i = 0; i < n; ++i)
      h->append(item(user(prefix + std::to_string(i), "message " + std::to_string(i))));
  };
  std::thread a(writer, first, "a");
  std::thread b(writer, second, "b");
  a.join();
  b.join();
  EXPECT_EQ(first->history("shared")->load().messages.size(), 2u * n);
  EXPECT_EQ(first->search("message").size(), 20u);
}

TYPED_TEST_P(StoreContract, AnImportedExportComesBackTheSame) {
  auto store = this->factory.make();
  const Json exported = {
      {"headId", "b"},
      {"messages",
       Json::array({{{"parentId", nullptr},
                     {"message",
                      {{"id", "u"},
                       {"role", "user"},
                       {"createdAt", "2026-03-01T12:00:00.000Z"},
                       {"content", Json::array({{{"type", "text"}, {"text", "hello"}}})}}}},
                    {{"parentId", "u"},
                     {"message",
                      {{"id", "b"},
                       {"role", "assistant"},
                       {"createdAt", "2026-03-01T12:00:01.000Z"},
                       {"content", Json::array({{{"type", "text"}, {"text", "hi!"}}})},
                       {"status", {{"type", "complete"}, {"reason", "stop"}}}}}}})}};
  store->import_thread("imported", repository_from_json(exported));
  const auto back = store->export_thread("imported");
  EXPECT_EQ(back.head_id, "b");
  ASSERT_EQ(back.messages.size(), 2u);
  EXPECT_EQ(to_json(back), to_json(repository_from_json(exported)));
  EXPECT_EQ(store->fetch("imported").last_message_at, parse_timestamp("2026-03-01T12:00:01.000Z"));
}

TYPED_TEST_P(StoreContract, TheSourceIdOfAMessageSurvivesARestart) {
  auto store = this->factory.make();
  auto h = store->history("t");
  h->append(item(user("u1", "first try", 1)));
  h->append(item(assistant("a1", "One.", MessageStatus::complete(StatusReason::Stop), 2), "u1"));
  // An edit of u1 and its reply, both made with sourceId u1; a regenerated reply of a2.
  auto edited = item(user("u2", "second try", 3));
  edited.source_id = "u1";
  h->append(edited);
  auto reply = item(assistant("a2", "Tw", MessageStatus::running(), 4), "u2");
  reply.source_id = "u1";
  h->update(reply);
  // A write that names no source id (an adapter that does not know it) keeps the stored one.
  h->update(item(assistant("a2", "Two.", MessageStatus::complete(StatusReason::Stop), 4), "u2"));
  auto regenerated = item(assistant("a3", "Two!", MessageStatus::complete(), 5), "u2");
  regenerated.source_id = "a2";
  h->append(regenerated);

  auto again = this->factory.reopen();
  const auto loaded = again->history("t")->load();
  ASSERT_EQ(ids_of(loaded), (std::vector<std::string>{"u1", "a1", "u2", "a2", "a3"}));
  EXPECT_EQ(loaded.messages[0].source_id, std::nullopt);
  EXPECT_EQ(loaded.messages[1].source_id, std::nullopt);
  EXPECT_EQ(loaded.messages[2].source_id, std::optional<Id>("u1"));
  EXPECT_EQ(loaded.messages[3].source_id, std::optional<Id>("u1"));
  EXPECT_EQ(loaded.messages[3].message->text(), "Two.");
  EXPECT_EQ(loaded.messages[4].source_id, std::optional<Id>("a2"));
  // Not part of assistant-ui's format: the JSON export has no such field.
  const std::string text = again->export_json("t").dump();
  EXPECT_EQ(text.find("sourceId"), std::string::npos);
  EXPECT_EQ(text.find("source_id"), std::string::npos);
}

REGISTER_TYPED_TEST_SUITE_P(
    StoreContract, AnImportedExportComesBackTheSame,
    EmptyStoreListsNothingAndUnknownThreadLoadsEmpty,
    InitializeCreatesARegularThreadFoundByRemoteOrLocalId, RenameArchiveUnarchiveAndCustomPersist,
    ListIsNewestFirstInPagesWithoutGapsOrRepeats, TheWholeTreeWithBranchesSurvivesARestart,
    AppendAndUpdateAreUpsertsByMessageId, ALateRunningCheckpointNeverUndoesTheEndOfARun,
    ARunningReplyLeftByACrashIsIncompleteAfterRestart, DeletingAMessageMovesItsChildrenUp,
    AChildWrittenBeforeItsParentLoadsAfterIt, SearchFindsWordsAcrossThreads,
    SearchFindsSubstringsInAnyCaseNewestFirst, MarkdownExportShowsTheCurrentBranchUnderTheTitle,
    GenerateTitleUsesTheFirstUserLineAndStoresIt, AGeneratedTitleNeverReplacesOneTheUserGave,
    TwoConnectionsWritingAtOnceLoseNothing, TheSourceIdOfAMessageSurvivesARestart);

}  // namespace aui::store_testing
