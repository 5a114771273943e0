// MessageListModel: minimal signals for streaming, branch switches, edits and thread switches, and
// the value of every role.

#include "aui/qt/message_list_model.hpp"

#include <gtest/gtest.h>

#include <QDateTime>
#include <QSignalSpy>
#include <algorithm>
#include <memory>
#include <stdexcept>
#include <vector>

#include "aui/qt/part_list_model.hpp"
#include "qt_test_support.hpp"

namespace {

using aui::qt::MessageListModel;
using aui::qt::PartListModel;
using aui::qt::test::ModelSpies;
using aui::qt::test::rows_of;
using aui::testing::Driver;
using aui::testing::Gate;
using aui::testing::ScriptedAdapter;
using aui::testing::Step;

struct NullFeedback : aui::FeedbackAdapter {
  void submit(const aui::FeedbackSubmission&) override {}
};

QList<int> roles_of(const QList<QVariant>& data_changed) {
  auto roles = data_changed.at(2).value<QList<int>>();
  std::sort(roles.begin(), roles.end());
  return roles;
}

TEST(MessageListModel, StreamingIntoALongThreadChangesOnlyTheLastRow) {
  Driver driver;
  ScriptedAdapter model(driver);
  constexpr int kUpdates = 2000;
  std::vector<std::unique_ptr<Gate>> gates;
  std::vector<Step> steps;
  std::string text;
  for (int i = 0; i <= kUpdates; ++i) {  // the first one arrives before the spies start
    text += "tok" + std::to_string(i) + " ";
    gates.push_back(std::make_unique<Gate>());
    steps.push_back(Step::yield(text));
    steps.push_back(Step::wait(*gates.back()));
  }
  model.stream(std::move(steps));
  auto options = aui::qt::test::driver_options(driver, model);
  options.initial_messages = aui::qt::test::linear_messages(9998);
  aui::ThreadRuntime thread(std::move(options));
  MessageListModel messages;
  messages.set_thread(&thread);
  ASSERT_EQ(messages.rowCount(), 9998);

  auto done = thread.append("question");
  driver.settle();  // the user message, the reply and its first update
  ASSERT_EQ(messages.rowCount(), 10000);
  ModelSpies spies(&messages);
  for (int i = 0; i < kUpdates; ++i) {
    gates[static_cast<std::size_t>(i)]->release();
    driver.settle();  // one more update applied
  }
  EXPECT_EQ(spies.changed.count(), kUpdates);
  gates.back()->release();
  driver.settle();  // the call ends: the reply completes
  ASSERT_TRUE(done.succeeded_ok());

  EXPECT_EQ(spies.inserted.count(), 0);
  EXPECT_EQ(spies.removed.count(), 0);
  EXPECT_EQ(spies.moved.count(), 0);
  EXPECT_EQ(spies.reset.count(), 0);
  EXPECT_EQ(spies.layout.count(), 0);
  ASSERT_EQ(spies.changed.count(), kUpdates + 1);
  for (int i = 0; i < spies.changed.count(); ++i) {
    const auto& signal = spies.changed.at(i);
    ASSERT_EQ(signal.at(0).toModelIndex().row(), 9999) << i;
    ASSERT_EQ(signal.at(1).toModelIndex().row(), 9999) << i;
  }
  // A token changes the text and the parts, nothing else; the end changes the status.
  EXPECT_EQ(roles_of(spies.changed.at(0)),
            (QList<int>{MessageListModel::TextRole, MessageListModel::PartsRole}));
  EXPECT_TRUE(roles_of(spies.changed.back()).contains(MessageListModel::StatusRole));
  EXPECT_FALSE(roles_of(spies.changed.back()).contains(MessageListModel::TextRole));
  EXPECT_EQ(messages.get(9999)["text"].toString().toStdString(), text);
  EXPECT_EQ(messages.get(9999)["status"].toString(), QStringLiteral("complete"));
}

// A thread of `n` messages with a second branch from message `at` (3 messages long), showing the
// first branch.
aui::ExportedMessageRepository forked(std::size_t n, std::size_t at) {
  aui::ExportedMessageRepository repo;
  std::optional<aui::Id> parent;
  for (const auto& like : aui::qt::test::linear_messages(n)) {
    auto m = std::make_shared<aui::ThreadMessage>();
    m->id = *like.id;
    m->role = like.role;
    m->content = like.content;
    m->status = aui::MessageStatus::complete(aui::StatusReason::Stop);
    repo.messages.push_back({m, parent});
    parent = m->id;
  }
  parent = at == 0 ? std::nullopt : std::optional<aui::Id>("m" + std::to_string(at - 1));
  for (int k = 0; k < 3; ++k) {
    auto m = std::make_shared<aui::ThreadMessage>();
    m->id = "alt" + std::to_string(k);
    m->role = (at + static_cast<std::size_t>(k)) % 2 == 0 ? aui::Role::User : aui::Role::Assistant;
    m->content.push_back(aui::TextPart{"alternative " + std::to_string(k)});
    m->status = aui::MessageStatus::complete(aui::StatusReason::Stop);
    repo.messages.push_back({m, parent});
    parent = m->id;
  }
  repo.head_id = "m" + std::to_string(n - 1);
  return repo;
}

TEST(MessageListModel, ABranchSwitchDeepInTheThreadRemovesAndInsertsOnlyTheTail) {
  Driver driver;
  ScriptedAdapter model(driver);
  aui::ThreadRuntime thread(aui::qt::test::driver_options(driver, model));
  thread.import_repository(forked(10000, 5000));
  MessageListModel messages;
  messages.set_thread(&thread);
  ASSERT_EQ(messages.rowCount(), 10000);
  EXPECT_EQ(messages.get(5000)["branchNumber"].toInt(), 1);
  EXPECT_EQ(messages.get(5000)["branchCount"].toInt(), 2);

  ModelSpies spies(&messages);
  thread.switch_to_branch("m5000", aui::ThreadRuntime::BranchPosition::Next);
  EXPECT_EQ(spies.reset.count(), 0);
  ASSERT_EQ(spies.removed.count(), 1);
  EXPECT_EQ(rows_of(spies.removed.at(0)), std::make_pair(5000, 9999));
  ASSERT_EQ(spies.inserted.count(), 1);
  EXPECT_EQ(rows_of(spies.inserted.at(0)), std::make_pair(5000, 5002));
  EXPECT_EQ(spies.changed.count(), 0);  // the rows before the fork are untouched
  ASSERT_EQ(messages.rowCount(), 5003);
  EXPECT_EQ(messages.get(5000)["messageId"].toString(), QStringLiteral("alt0"));
  EXPECT_EQ(messages.get(5000)["branchNumber"].toInt(), 2);
  EXPECT_EQ(messages.get(5002)["isLast"].toBool(), true);

  // And back: the mirror image.
  thread.switch_to_branch("alt0", aui::ThreadRuntime::BranchPosition::Previous);
  ASSERT_EQ(spies.removed.count(), 2);
  EXPECT_EQ(rows_of(spies.removed.at(1)), std::make_pair(5000, 5002));
  EXPECT_EQ(rows_of(spies.inserted.at(1)), std::make_pair(5000, 9999));
  EXPECT_EQ(spies.reset.count(), 0);
}

TEST(MessageListModel, AnOldMessageChangingAloneChangesItsRowAndRoleOnly) {
  Driver driver;
  ScriptedAdapter model(driver);
  auto options = aui::qt::test::driver_options(driver, model);
  options.initial_messages = aui::qt::test::linear_messages(3000);
  options.adapters.feedback = std::make_shared<NullFeedback>();
  aui::ThreadRuntime thread(std::move(options));
  MessageListModel messages;
  messages.set_thread(&thread);
  ModelSpies spies(&messages);
  thread.submit_feedback("m1001", aui::FeedbackType::Negative);
  driver.settle();
  ASSERT_EQ(spies.changed.count(), 1);
  EXPECT_EQ(spies.changed.at(0).at(0).toModelIndex().row(), 1001);
  EXPECT_EQ(roles_of(spies.changed.at(0)), QList<int>{MessageListModel::FeedbackRole});
  EXPECT_EQ(messages.get(1001)["feedback"].toString(), QStringLiteral("negative"));
  EXPECT_EQ(spies.inserted.count() + spies.removed.count() + spies.reset.count(), 0);
}

TEST(MessageListModel, AnAppendInsertsTheNewRowsAndMovesIsLast) {
  Driver driver;
  ScriptedAdapter model(driver);
  model.reply("answer");
  auto options = aui::qt::test::driver_options(driver, model);
  options.initial_messages = aui::qt::test::linear_messages(4);
  aui::ThreadRuntime thread(std::move(options));
  MessageListModel messages;
  messages.set_thread(&thread);
  QSignalSpy count(&messages, &MessageListModel::countChanged);
  ModelSpies spies(&messages);
  thread.append("question");
  driver.settle();
  ASSERT_EQ(messages.rowCount(), 6);
  EXPECT_EQ(spies.reset.count(), 0);
  EXPECT_EQ(spies.removed.count(), 0);
  // Rows 4 and 5 came in (together or one by one), and row 3 heard it is no longer last.
  int inserted = 0;
  for (const auto& s : spies.inserted) inserted += rows_of(s).second - rows_of(s).first + 1;
  EXPECT_EQ(inserted, 2);
  bool row3_is_last_changed = false;
  for (const auto& s : spies.changed) {
    if (s.at(0).toModelIndex().row() == 3 && roles_of(s).contains(MessageListModel::IsLastRole)) {
      row3_is_last_changed = true;
    }
  }
  EXPECT_TRUE(row3_is_last_changed);
  EXPECT_FALSE(messages.get(3)["isLast"].toBool());
  EXPECT_TRUE(messages.get(5)["isLast"].toBool());
  EXPECT_GE(count.count(), 1);
}

TEST(MessageListModel, ARegenerateReplacesTheLastRow) {
  Driver driver;
  ScriptedAdapter model(driver);
  model.reply("first").reply("second");
  aui::ThreadRuntime thread(aui::qt::test::driver_options(driver, model));
  MessageListModel messages;
  messages.set_thread(&thread);
  thread.append("q");
  driver.settle();
  ASSERT_EQ(messages.rowCount(), 2);
  const QString first_id = messages.get(1)["messageId"].toString();
  ModelSpies spies(&messages);
  thread.reload(first_id.toStdString());
  driver.settle();
  EXPECT_EQ(spies.reset.count(), 0);
  ASSERT_EQ(spies.removed.count(), 1);
  EXPECT_EQ(rows_of(spies.removed.at(0)), std::make_pair(1, 1));
  ASSERT_EQ(spies.inserted.count(), 1);
  EXPECT_EQ(rows_of(spies.inserted.at(0)), std::make_pair(1, 1));
  EXPECT_EQ(messages.get(1)["text"].toString(), QStringLiteral("second"));
  EXPECT_EQ(messages.get(1)["branchNumber"].toInt(), 2);
  EXPECT_EQ(messages.get(1)["branchCount"].toInt(), 2);
  EXPECT_EQ(messages.get(0)["branchCount"].toInt(), 1);
}

// A message appended under an earlier one waits at the thread list's initialisation gate: it is
// in the tree, a new sibling of the message shown at row 2, but the branch does not switch to it
// yet. Row 2's branch count must be announced, and announced again when the message is taken
// back (the gate failed); the rows and the other roles are left alone.
TEST(MessageListModel, ASiblingAddedWithoutSwitchingReannouncesTheBranchCount) {
  Driver driver;
  ScriptedAdapter model(driver);
  auto options = aui::qt::test::driver_options(driver, model);
  options.initial_messages = aui::qt::test::linear_messages(4);
  aui::Completion gate;
  options.initialize_barrier = [&gate] { return gate; };
  aui::ThreadRuntime thread(std::move(options));
  MessageListModel messages;
  messages.set_thread(&thread);
  driver.settle();
  // A view reads the rows it shows (this is what it would be told to read again).
  for (int row = 0; row < messages.rowCount(); ++row)
    ASSERT_EQ(messages.get(row)["branchCount"].toInt(), 1) << row;

  ModelSpies spies(&messages);
  aui::AppendMessage sibling = aui::AppendMessage::user("another question");
  sibling.parent = aui::Parent::message("m1");
  auto sent = thread.append(std::move(sibling));
  driver.settle();
  ASSERT_FALSE(sent.ready()) << "waiting at the gate";
  ASSERT_EQ(messages.rowCount(), 4) << "the branch shown is the same";
  EXPECT_EQ(messages.get(2)["messageId"].toString(), QStringLiteral("m2"));
  ASSERT_EQ(spies.changed.count(), 1);
  EXPECT_EQ(spies.changed.at(0).at(0).toModelIndex().row(), 2);
  EXPECT_EQ(roles_of(spies.changed.at(0)), QList<int>{MessageListModel::BranchCountRole});
  EXPECT_EQ(messages.get(2)["branchCount"].toInt(), 2);
  EXPECT_EQ(messages.get(2)["branchNumber"].toInt(), 1);
  EXPECT_EQ(spies.inserted.count() + spies.removed.count() + spies.reset.count(), 0);

  // The gate fails: the message is taken out of the tree, and row 2 hears it again.
  gate.reject(std::make_exception_ptr(std::runtime_error("the thread could not be created")));
  driver.settle();
  ASSERT_TRUE(sent.failed());
  ASSERT_EQ(spies.changed.count(), 2);
  EXPECT_EQ(spies.changed.at(1).at(0).toModelIndex().row(), 2);
  EXPECT_EQ(roles_of(spies.changed.at(1)), QList<int>{MessageListModel::BranchCountRole});
  EXPECT_EQ(messages.get(2)["branchCount"].toInt(), 1);
  EXPECT_EQ(spies.inserted.count() + spies.removed.count() + spies.reset.count(), 0);
}

TEST(MessageListModel, PointingAtAnotherThreadResets) {
  Driver driver;
  ScriptedAdapter model(driver);
  auto a_options = aui::qt::test::driver_options(driver, model);
  a_options.initial_messages = aui::qt::test::linear_messages(5);
  aui::ThreadRuntime a(std::move(a_options));
  auto b_options = aui::qt::test::driver_options(driver, model);
  b_options.initial_messages = aui::qt::test::linear_messages(2);
  aui::ThreadRuntime b(std::move(b_options));
  MessageListModel messages;
  messages.set_thread(&a);
  ModelSpies spies(&messages);
  messages.set_thread(&b);
  EXPECT_EQ(spies.reset.count(), 1);
  EXPECT_EQ(spies.inserted.count() + spies.removed.count(), 0);
  EXPECT_EQ(messages.rowCount(), 2);
  // The old thread no longer drives the model.
  a.reset();
  EXPECT_EQ(messages.rowCount(), 2);
  EXPECT_EQ(spies.reset.count(), 1);
}

TEST(MessageListModel, EveryRoleHasItsValue) {
  Driver driver;
  ScriptedAdapter model(driver);
  aui::ThreadRuntime thread(aui::qt::test::driver_options(driver, model));
  aui::ExportedMessageRepository repo;
  auto user = std::make_shared<aui::ThreadMessage>();
  user->id = "u1";
  user->role = aui::Role::User;
  user->created_at = aui::Timestamp(std::chrono::milliseconds(1767268800123));  // 2026-01-01
  user->content.push_back(aui::TextPart{"hello"});
  aui::Attachment file;
  file.id = "a1";
  file.type = "document";
  file.name = "notes.txt";
  file.content_type = "text/plain";
  file.content.push_back(aui::TextPart{"notes"});
  user->attachments.push_back(file);
  auto reply = std::make_shared<aui::ThreadMessage>();
  reply->id = "r1";
  reply->role = aui::Role::Assistant;
  reply->content.push_back(aui::TextPart{"part one"});
  aui::ToolCallPart call;
  call.tool_call_id = "c1";
  call.tool_name = "search";
  call.args = aui::Json{{"q", "x"}};
  call.args_text = R"({"q":"x"})";
  call.result = aui::Json("found");
  reply->content.push_back(call);
  reply->content.push_back(aui::TextPart{"part two"});
  reply->metadata.submitted_feedback = aui::FeedbackType::Positive;
  reply->status = aui::MessageStatus::incomplete(aui::StatusReason::Error,
                                                 aui::Json{{"message", "The server is down."}});
  repo.messages.push_back({user, std::nullopt});
  repo.messages.push_back({reply, aui::Id("u1")});
  thread.import_repository(repo);
  MessageListModel messages;
  messages.set_thread(&thread);
  ASSERT_EQ(messages.rowCount(), 2);

  const QVariantMap u = messages.get(0);
  EXPECT_EQ(u["messageId"].toString(), QStringLiteral("u1"));
  EXPECT_EQ(u["role"].toString(), QStringLiteral("user"));
  EXPECT_EQ(u["text"].toString(), QStringLiteral("hello"));
  EXPECT_EQ(u["status"].toString(), QStringLiteral("complete"));
  EXPECT_EQ(u["statusReason"].toString(), QString());
  EXPECT_EQ(u["errorText"].toString(), QString());
  EXPECT_FALSE(u["isRunning"].toBool());
  EXPECT_EQ(u["createdAt"].toDateTime(), QDateTime::fromMSecsSinceEpoch(1767268800123, Qt::UTC));
  EXPECT_EQ(u["branchIndex"].toInt(), 0);
  EXPECT_EQ(u["branchNumber"].toInt(), 1);
  EXPECT_EQ(u["branchCount"].toInt(), 1);
  EXPECT_FALSE(u["isLast"].toBool());
  EXPECT_EQ(u["parentId"].toString(), QString());
  const QVariantList attachments = u["attachments"].toList();
  ASSERT_EQ(attachments.size(), 1);
  EXPECT_EQ(attachments[0].toMap()["name"].toString(), QStringLiteral("notes.txt"));
  EXPECT_EQ(attachments[0].toMap()["contentType"].toString(), QStringLiteral("text/plain"));
  EXPECT_EQ(u["feedback"].toString(), QString());
  EXPECT_EQ(u["speech"].toString(), QString());
  EXPECT_EQ(u["partCount"].toInt(), 1);
  EXPECT_FALSE(u["hasToolCalls"].toBool());

  const QVariantMap r = messages.get(1);
  EXPECT_EQ(r["role"].toString(), QStringLiteral("assistant"));
  EXPECT_EQ(r["text"].toString(), QStringLiteral("part one\n\npart two"));
  EXPECT_EQ(r["status"].toString(), QStringLiteral("incomplete"));
  EXPECT_EQ(r["statusReason"].toString(), QStringLiteral("error"));
  EXPECT_EQ(r["errorText"].toString(), QStringLiteral("The server is down."));
  EXPECT_TRUE(r["isLast"].toBool());
  EXPECT_EQ(r["parentId"].toString(), QStringLiteral("u1"));
  EXPECT_EQ(r["feedback"].toString(), QStringLiteral("positive"));
  EXPECT_EQ(r["partCount"].toInt(), 3);
  EXPECT_TRUE(r["hasToolCalls"].toBool());

  auto* parts = qobject_cast<PartListModel*>(r["parts"].value<QObject*>());
  ASSERT_NE(parts, nullptr);
  ASSERT_EQ(parts->rowCount(), 3);
  EXPECT_EQ(parts->get(0)["type"].toString(), QStringLiteral("text"));
  EXPECT_EQ(parts->get(0)["text"].toString(), QStringLiteral("part one"));
  const QVariantMap c = parts->get(1);
  EXPECT_EQ(c["type"].toString(), QStringLiteral("tool-call"));
  EXPECT_EQ(c["toolName"].toString(), QStringLiteral("search"));
  EXPECT_EQ(c["toolCallId"].toString(), QStringLiteral("c1"));
  EXPECT_EQ(c["argsText"].toString(), QStringLiteral(R"({"q":"x"})"));
  EXPECT_EQ(c["args"].toMap()["q"].toString(), QStringLiteral("x"));
  EXPECT_EQ(c["result"].toString(), QStringLiteral("found"));
  EXPECT_EQ(c["resultText"].toString(), QStringLiteral("found"));
  EXPECT_TRUE(c["hasResult"].toBool());
  EXPECT_FALSE(c["isError"].toBool());
  EXPECT_EQ(c["approvalState"].toString(), QString());
  EXPECT_FALSE(c["isHumanTool"].toBool());
  // The parts model is the same object on every read (views keep it).
  EXPECT_EQ(messages.get(1)["parts"].value<QObject*>(), parts);
  EXPECT_EQ(messages.rowOf(QStringLiteral("r1")), 1);
  EXPECT_EQ(messages.rowOf(QStringLiteral("nope")), -1);
}

TEST(MessageListModel, APartsModelFollowsItsMessage) {
  Driver driver;
  ScriptedAdapter model(driver);
  Gate gate;
  model.stream({Step::yield("Hel"), Step::wait(gate), Step::yield("Hello")});
  aui::ThreadRuntime thread(aui::qt::test::driver_options(driver, model));
  MessageListModel messages;
  messages.set_thread(&thread);
  auto done = thread.append("q");
  driver.settle();
  auto* parts = qobject_cast<PartListModel*>(messages.get(1)["parts"].value<QObject*>());
  ASSERT_NE(parts, nullptr);
  EXPECT_EQ(parts->get(0)["text"].toString(), QStringLiteral("Hel"));
  EXPECT_EQ(parts->get(0)["partStatus"].toString(), QStringLiteral("running"));
  ModelSpies spies(parts);
  gate.release();
  driver.settle();
  EXPECT_EQ(parts->get(0)["text"].toString(), QStringLiteral("Hello"));
  EXPECT_EQ(parts->get(0)["partStatus"].toString(), QStringLiteral("complete"));
  EXPECT_GE(spies.changed.count(), 1);
  EXPECT_EQ(spies.inserted.count() + spies.removed.count() + spies.reset.count(), 0);
}

TEST(MessageListModel, ApplyDiffsSnapshotsWithoutAThread) {
  MessageListModel messages;
  std::vector<aui::MessagePtr> items;
  for (int i = 0; i < 100; ++i) {
    auto m = std::make_shared<aui::ThreadMessage>();
    m->id = "x" + std::to_string(i);
    m->content.push_back(aui::TextPart{"t"});
    items.push_back(m);
  }
  const aui::MessageList list = aui::MessageList().append(items.begin(), items.end());
  messages.apply(list);
  ASSERT_EQ(messages.rowCount(), 100);
  ModelSpies spies(&messages);
  // The branch gets shorter: rows go, the new last row hears it.
  messages.apply(list.take(60));
  ASSERT_EQ(spies.removed.count(), 1);
  EXPECT_EQ(rows_of(spies.removed.at(0)), std::make_pair(60, 99));
  ASSERT_EQ(spies.changed.count(), 1);
  EXPECT_EQ(spies.changed.at(0).at(0).toModelIndex().row(), 59);
  EXPECT_EQ(roles_of(spies.changed.at(0)), QList<int>{MessageListModel::IsLastRole});
  // The same snapshot again: nothing.
  messages.apply(list.take(60));
  EXPECT_EQ(spies.changed.count(), 1);
  EXPECT_EQ(spies.removed.count(), 1);
}

// rowsSettled is what a view positions itself on (Thread.qml opening a thread at its end): it must
// come after every change of rows, once the model's own signals are out, and never for a change
// that keeps the rows (a streamed update).
TEST(MessageListModel, RowsSettledFollowsEachChangeOfRowsAndNothingElse) {
  MessageListModel messages;
  std::vector<std::string> events;
  QObject::connect(&messages, &QAbstractItemModel::rowsInserted,
                   [&] { events.push_back("inserted"); });
  QObject::connect(&messages, &QAbstractItemModel::rowsRemoved,
                   [&] { events.push_back("removed"); });
  QObject::connect(&messages, &QAbstractItemModel::modelReset, [&] { events.push_back("reset"); });
  QObject::connect(&messages, &QAbstractItemModel::dataChanged,
                   [&] { events.push_back("changed"); });
  QObject::connect(&messages, &MessageListModel::rowsSettled, [&] { events.push_back("settled"); });
  std::vector<aui::MessagePtr> items;
  for (int i = 0; i < 3; ++i) {
    auto m = std::make_shared<aui::ThreadMessage>();
    m->id = "x" + std::to_string(i);
    m->content.push_back(aui::TextPart{"t"});
    items.push_back(m);
  }
  const aui::MessageList list = aui::MessageList().append(items.begin(), items.end());
  messages.apply(list);
  EXPECT_EQ(events, (std::vector<std::string>{"inserted", "settled"}));

  events.clear();  // the last message grows: its row changes, the rows stay
  auto grown = std::make_shared<aui::ThreadMessage>(*items.back());
  grown->content[0] = aui::TextPart{"t and more"};
  const aui::MessageList streamed = list.set(2, grown);
  messages.apply(streamed);
  EXPECT_EQ(events, (std::vector<std::string>{"changed"}));

  events.clear();  // shorter: the last row goes and the new last row hears it
  messages.apply(streamed.take(2));
  EXPECT_EQ(events, (std::vector<std::string>{"removed", "changed", "settled"}));

  events.clear();
  messages.set_thread(nullptr);
  EXPECT_EQ(events, (std::vector<std::string>{"reset", "settled"}));
}

}  // namespace

namespace {

// An utterance the test ends by hand (speech is owner-thread driven here: no workers involved).
struct FakeUtterance : aui::Utterance {
  aui::UtteranceStatus now = aui::UtteranceStatus::running();
  std::function<void()> listener;
  aui::UtteranceStatus status() const override { return now; }
  void cancel() override { end(aui::UtteranceStatus::EndReason::Cancelled); }
  std::function<void()> subscribe(std::function<void()> on_change) override {
    listener = std::move(on_change);
    return [this] { listener = nullptr; };
  }
  void end(aui::UtteranceStatus::EndReason reason) {
    now = aui::UtteranceStatus::ended(reason);
    if (listener) listener();
  }
};

struct FakeSpeech : aui::SpeechSynthesisAdapter {
  std::shared_ptr<FakeUtterance> last;
  std::shared_ptr<aui::Utterance> speak(const std::string&) override {
    last = std::make_shared<FakeUtterance>();
    return last;
  }
};

TEST(MessageListModel, TheSpeechRoleFollowsWhatIsSpoken) {
  Driver driver;
  ScriptedAdapter model(driver);
  auto speech = std::make_shared<FakeSpeech>();
  auto options = aui::qt::test::driver_options(driver, model);
  options.initial_messages = aui::qt::test::linear_messages(4);
  options.adapters.speech = speech;
  aui::ThreadRuntime thread(std::move(options));
  MessageListModel messages;
  messages.set_thread(&thread);
  ModelSpies spies(&messages);
  thread.speak("m1");
  driver.settle();
  EXPECT_EQ(messages.get(1)["speech"].toString(), QStringLiteral("running"));
  EXPECT_EQ(messages.get(3)["speech"].toString(), QString());
  ASSERT_GE(spies.changed.count(), 1);
  EXPECT_EQ(spies.changed.back().at(0).toModelIndex().row(), 1);
  EXPECT_EQ(roles_of(spies.changed.back()), QList<int>{MessageListModel::SpeechRole});
  // Speaking another message moves the role from one row to the other.
  thread.speak("m3");
  driver.settle();
  EXPECT_EQ(messages.get(1)["speech"].toString(), QString());
  EXPECT_EQ(messages.get(3)["speech"].toString(), QStringLiteral("running"));
  speech->last->end(aui::UtteranceStatus::EndReason::Finished);
  driver.settle();
  const QString after = messages.get(3)["speech"].toString();
  EXPECT_TRUE(after == QStringLiteral("ended") || after.isEmpty()) << after.toStdString();
  EXPECT_EQ(spies.inserted.count() + spies.removed.count() + spies.reset.count(), 0);
}

}  // namespace
