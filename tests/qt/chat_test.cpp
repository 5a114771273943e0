// Chat: the QML entry point over a LocalRuntime — properties that notify on change, operations by
// id, approvals, thread switches, the composer; failures as sentences, never exceptions.

#include "aui/qt/chat.hpp"

#include <gtest/gtest.h>

#include <QClipboard>
#include <QGuiApplication>
#include <QSignalSpy>
#include <atomic>

#include "aui/adapters/attachment_adapter.hpp"
#include "aui/adapters/static_suggestion_adapter.hpp"
#include "aui/qt/part_list_model.hpp"
#include "qt_test_support.hpp"

namespace {

using aui::qt::Chat;
using aui::qt::ChatBackend;
using aui::qt::test::ModelSpies;
using aui::testing::Driver;
using aui::testing::Gate;
using aui::testing::ScriptedAdapter;
using aui::testing::Step;

class ChatTest : public ::testing::Test {
 protected:
  void make(aui::ChatModelAdapter adapter) {
    chat = std::make_unique<Chat>();
    aui::ThreadListRuntimeOptions o;
    o.thread = aui::qt::test::driver_options(driver, std::move(adapter));
    o.thread.on_error = chat->setup().on_error;
    chat->set_backend(ChatBackend{std::make_unique<aui::LocalRuntime>(std::move(o)), nullptr,
                                  QStringLiteral("scripted")});
    driver.settle();
  }
  QVariantMap last() const { return chat->messages()->get(chat->messages()->rowCount() - 1); }

  Driver driver;
  ScriptedAdapter model{driver};
  std::unique_ptr<Chat> chat;  // destroyed before the driver
};

aui::ChatModelRunResult gated_call(const std::string& approval_id) {
  aui::ToolCallPart call;
  call.tool_call_id = "call-" + approval_id;
  call.tool_name = "deploy";
  call.args = aui::Json{{"env", "prod"}};
  call.args_text = R"({"env":"prod"})";
  aui::Approval gate;
  gate.id = approval_id;
  call.approval = gate;
  aui::ChatModelRunResult r;
  r.content.emplace();
  r.content->push_back(call);
  r.status = aui::MessageStatus::requires_action();
  return r;
}

TEST_F(ChatTest, WithoutABackendItIsNotReadyAndSaysSo) {
  Chat empty;
  EXPECT_FALSE(empty.ready());
  QSignalSpy errors(&empty, &Chat::errorOccurred);
  empty.send(QStringLiteral("hi"));
  ASSERT_EQ(errors.count(), 1);
  EXPECT_EQ(errors.at(0).at(0).toString(), QStringLiteral("The chat has no backend yet."));
}

TEST_F(ChatTest, SendStreamsAndTheRunningPropertiesFollow) {
  Gate gate;
  model.stream({Step::yield("Hel"), Step::wait(gate), Step::yield("Hello")});
  make(model);
  EXPECT_TRUE(chat->ready());
  EXPECT_EQ(chat->backendDescription(), QStringLiteral("scripted"));
  EXPECT_TRUE(chat->capabilities()[QStringLiteral("edit")].toBool());
  EXPECT_TRUE(chat->capabilities()[QStringLiteral("cancel")].toBool());
  EXPECT_FALSE(chat->capabilities()[QStringLiteral("speech")].toBool());
  EXPECT_FALSE(chat->capabilities()[QStringLiteral("attachments")].toBool());
  EXPECT_TRUE(chat->suggestions().isEmpty());
  EXPECT_TRUE(chat->isEmpty());
  QSignalSpy running(chat.get(), &Chat::runningChanged);
  chat->send(QStringLiteral("hi"));
  driver.settle();
  EXPECT_TRUE(chat->running());
  EXPECT_TRUE(chat->canCancel());
  EXPECT_FALSE(chat->isEmpty());
  EXPECT_EQ(last()["text"].toString(), QStringLiteral("Hel"));
  gate.release();
  driver.settle();
  EXPECT_FALSE(chat->running());
  EXPECT_FALSE(chat->canCancel());
  EXPECT_EQ(last()["text"].toString(), QStringLiteral("Hello"));
  EXPECT_GE(running.count(), 2);
  // Copy gives the text and puts it on the clipboard.
  EXPECT_EQ(chat->copy(last()["messageId"].toString()), QStringLiteral("Hello"));
  if (qobject_cast<QGuiApplication*>(QCoreApplication::instance())) {
    EXPECT_EQ(QGuiApplication::clipboard()->text(), QStringLiteral("Hello"));
  }
}

TEST_F(ChatTest, CancelStopsTheReply) {
  model.hang();
  make(model);
  chat->send(QStringLiteral("hi"));
  driver.settle();
  ASSERT_TRUE(chat->running());
  chat->cancel();
  driver.settle();
  EXPECT_FALSE(chat->running());
  EXPECT_EQ(last()["statusReason"].toString(), QStringLiteral("cancelled"));
}

TEST_F(ChatTest, ToolApprovalRoundTrip) {
  std::atomic<int> calls{0};
  make([&](const aui::ChatModelRunOptions&) -> aui::ChatModelRunResult {
    return ++calls == 1 ? gated_call("g1") : aui::ChatModelRunResult::text("deployed");
  });
  QSignalSpy approvals(chat.get(), &Chat::pendingApprovalsChanged);
  chat->send(QStringLiteral("deploy it"));
  driver.settle();
  ASSERT_EQ(chat->pendingApprovals().size(), 1);
  const QVariantMap pending = chat->pendingApprovals().at(0).toMap();
  EXPECT_EQ(pending["approvalId"].toString(), QStringLiteral("g1"));
  EXPECT_EQ(pending["toolName"].toString(), QStringLiteral("deploy"));
  EXPECT_EQ(pending["argsText"].toString(), QStringLiteral(R"({"env":"prod"})"));
  EXPECT_EQ(approvals.count(), 1);
  EXPECT_EQ(last()["status"].toString(), QStringLiteral("requires-action"));
  auto* parts = qobject_cast<aui::qt::PartListModel*>(last()["parts"].value<QObject*>());
  ASSERT_NE(parts, nullptr);
  EXPECT_EQ(parts->get(0)["approvalState"].toString(), QStringLiteral("pending"));
  EXPECT_EQ(parts->get(0)["approvalId"].toString(), QStringLiteral("g1"));

  chat->allow(QStringLiteral("g1"));
  driver.settle();
  EXPECT_TRUE(chat->pendingApprovals().isEmpty());
  EXPECT_EQ(approvals.count(), 2);
  EXPECT_EQ(calls.load(), 2);
  EXPECT_EQ(last()["status"].toString(), QStringLiteral("complete"));
  EXPECT_TRUE(last()["text"].toString().contains(QStringLiteral("deployed")));
  EXPECT_EQ(parts->get(0)["approvalState"].toString(), QStringLiteral("approved"));
}

TEST_F(ChatTest, DenyAndAlwaysAllow) {
  std::atomic<int> calls{0};
  make([&](const aui::ChatModelRunOptions& o) -> aui::ChatModelRunResult {
    const int k = ++calls;
    if (o.get_message && o.get_message() && !o.get_message()->content.empty()) {
      return aui::ChatModelRunResult::text("ok");
    }
    return gated_call("g" + std::to_string(k));
  });
  chat->send(QStringLiteral("one"));
  driver.settle();
  ASSERT_EQ(chat->pendingApprovals().size(), 1);
  chat->deny(QStringLiteral("g1"), QStringLiteral("not today"));
  driver.settle();
  auto* parts = qobject_cast<aui::qt::PartListModel*>(last()["parts"].value<QObject*>());
  ASSERT_NE(parts, nullptr);
  EXPECT_EQ(parts->get(0)["approvalState"].toString(), QStringLiteral("denied"));
  EXPECT_TRUE(parts->get(0)["isError"].toBool());
  EXPECT_TRUE(parts->get(0)["resultText"].toString().contains(QStringLiteral("not today")));

  chat->send(QStringLiteral("two"));
  driver.settle();
  ASSERT_EQ(chat->pendingApprovals().size(), 1);
  const QString id = chat->pendingApprovals().at(0).toMap()["approvalId"].toString();
  chat->allowAlways(id);
  driver.settle();
  EXPECT_TRUE(chat->pendingApprovals().isEmpty());
  // The next gate of that tool is decided without asking.
  chat->send(QStringLiteral("three"));
  driver.settle();
  EXPECT_TRUE(chat->pendingApprovals().isEmpty());

  // An unknown approval is a sentence, not an exception.
  QSignalSpy errors(chat.get(), &Chat::errorOccurred);
  chat->allow(QStringLiteral("nope"));
  ASSERT_EQ(errors.count(), 1);
  EXPECT_FALSE(errors.at(0).at(0).toString().isEmpty());
  EXPECT_EQ(chat->lastError(), errors.at(0).at(0).toString());
}

TEST_F(ChatTest, AHumanToolGetsItsResult) {
  std::atomic<int> calls{0};
  make([&](const aui::ChatModelRunOptions&) -> aui::ChatModelRunResult {
    if (++calls > 1) return aui::ChatModelRunResult::text("thanks");
    aui::ToolCallPart call;
    call.tool_call_id = "ask-1";
    call.tool_name = "ask_user";
    aui::ChatModelRunResult r;
    r.content.emplace();
    r.content->push_back(call);
    r.status = aui::MessageStatus::requires_action();
    return r;
  });
  chat->send(QStringLiteral("plan a trip"));
  driver.settle();
  auto* parts = qobject_cast<aui::qt::PartListModel*>(last()["parts"].value<QObject*>());
  ASSERT_NE(parts, nullptr);
  EXPECT_TRUE(parts->get(0)["isHumanTool"].toBool());
  chat->addToolResult(QString(), QStringLiteral("ask-1"),
                      QVariantMap{{QStringLiteral("city"), QStringLiteral("Oslo")}});
  driver.settle();
  EXPECT_FALSE(parts->get(0)["isHumanTool"].toBool());
  EXPECT_EQ(parts->get(0)["result"].toMap()["city"].toString(), QStringLiteral("Oslo"));
  EXPECT_EQ(calls.load(), 2);
}

TEST_F(ChatTest, EditRegenerateAndBranchSwitching) {
  model.reply("r1").reply("r2").reply("r3");
  make(model);
  chat->send(QStringLiteral("question"));
  driver.settle();
  auto* messages = chat->messages();
  ASSERT_EQ(messages->rowCount(), 2);
  const QString reply_id = messages->get(1)["messageId"].toString();
  chat->regenerate(reply_id);
  driver.settle();
  EXPECT_EQ(messages->get(1)["text"].toString(), QStringLiteral("r2"));
  EXPECT_EQ(messages->get(1)["branchCount"].toInt(), 2);
  ModelSpies spies(messages);
  chat->switchBranch(messages->get(1)["messageId"].toString(), -1);
  EXPECT_EQ(messages->get(1)["text"].toString(), QStringLiteral("r1"));
  EXPECT_EQ(spies.reset.count(), 0);

  // An edit of the question: a new branch at row 0 with its own reply.
  const QString question_id = messages->get(0)["messageId"].toString();
  chat->edit(question_id, QStringLiteral("better question"));
  driver.settle();
  ASSERT_EQ(messages->rowCount(), 2);
  EXPECT_EQ(messages->get(0)["text"].toString(), QStringLiteral("better question"));
  EXPECT_EQ(messages->get(0)["branchCount"].toInt(), 2);
  EXPECT_EQ(messages->get(1)["text"].toString(), QStringLiteral("r3"));
  EXPECT_EQ(spies.reset.count(), 0);

  // The edit composer: open, type, send.
  aui::qt::ChatComposer* edit = chat->beginEdit(messages->get(0)["messageId"].toString());
  ASSERT_NE(edit, nullptr);
  EXPECT_EQ(chat->editComposer(), edit);
  EXPECT_EQ(edit->text(), QStringLiteral("better question"));
  EXPECT_EQ(edit->editingMessageId(), messages->get(0)["messageId"].toString());
  chat->cancelEdit();
  EXPECT_EQ(chat->editComposer(), nullptr);
}

TEST_F(ChatTest, TheComposerSendsItsDraft) {
  model.reply("hello back");
  make(model);
  aui::qt::ChatComposer* composer = chat->composer();
  QSignalSpy changed(composer, &aui::qt::ChatComposer::changed);
  EXPECT_FALSE(composer->canSend());
  composer->setText(QStringLiteral("hello"));
  EXPECT_EQ(composer->text(), QStringLiteral("hello"));
  EXPECT_TRUE(composer->canSend());
  EXPECT_GE(changed.count(), 1);
  composer->send();
  driver.settle();
  EXPECT_EQ(composer->text(), QString());
  EXPECT_EQ(chat->messages()->rowCount(), 2);
  EXPECT_EQ(chat->messages()->get(1)["text"].toString(), QStringLiteral("hello back"));
  // No attachment adapter: adding a file is a sentence.
  QSignalSpy errors(chat.get(), &Chat::errorOccurred);
  composer->addAttachment(QUrl::fromLocalFile(QStringLiteral("/tmp/x.txt")));
  driver.settle();
  EXPECT_GE(errors.count(), 1);
}

// Takes any file without reading it: the attachment is the file's name.
struct NamedAttachments : aui::AttachmentAdapter {
  std::string accept() const override { return "*"; }
  aui::Attachment add(const aui::HostFile& file,
                      const std::function<void(const aui::Attachment&)>&) override {
    aui::Attachment a;
    a.id = "att-" + file.name;
    a.name = file.name;
    a.content_type = "text/plain";
    a.file = file;
    a.status = {aui::AttachmentStatusType::RequiresAction, "composer-send", 0, {}};
    return a;
  }
  aui::Attachment send(const aui::Attachment& pending) override {
    aui::Attachment a = pending;
    a.status = {};
    a.content.push_back(aui::TextPart{"contents of " + pending.name});
    return a;
  }
  void remove(const aui::Attachment&) override {}
};

TEST_F(ChatTest, TheComposerAttachesFiles) {
  model.reply("got it");
  chat = std::make_unique<Chat>();
  aui::ThreadListRuntimeOptions o;
  o.thread = aui::qt::test::driver_options(driver, model);
  o.thread.adapters.attachments = std::make_shared<NamedAttachments>();
  chat->set_backend(ChatBackend{std::make_unique<aui::LocalRuntime>(std::move(o)), nullptr, {}});
  driver.settle();
  aui::qt::ChatComposer* composer = chat->composer();
  EXPECT_TRUE(chat->capabilities()[QStringLiteral("attachments")].toBool());
  EXPECT_EQ(composer->attachmentAccept(), QStringLiteral("*"));
  composer->addAttachment(QUrl::fromLocalFile(QStringLiteral("/tmp/notes.txt")));
  composer->addAttachment(QUrl::fromLocalFile(QStringLiteral("/tmp/other.txt")));
  driver.settle();
  ASSERT_EQ(composer->attachments().size(), 2);
  const QVariantMap first = composer->attachments().at(0).toMap();
  EXPECT_EQ(first["name"].toString(), QStringLiteral("notes.txt"));
  EXPECT_EQ(first["status"].toString(), QStringLiteral("requires-action"));
  composer->removeAttachment(QStringLiteral("att-other.txt"));
  driver.settle();
  ASSERT_EQ(composer->attachments().size(), 1);
  EXPECT_TRUE(composer->canSend());  // an attachment alone can be sent
  composer->setText(QStringLiteral("read this"));
  composer->send();
  driver.settle();
  EXPECT_TRUE(composer->attachments().isEmpty());
  const QVariantList sent = chat->messages()->get(0)["attachments"].toList();
  ASSERT_EQ(sent.size(), 1);
  EXPECT_EQ(sent.at(0).toMap()["name"].toString(), QStringLiteral("notes.txt"));
  EXPECT_EQ(chat->messages()->get(1)["text"].toString(), QStringLiteral("got it"));
}

TEST_F(ChatTest, SwitchingThreadsResetsTheModelsOnce) {
  model.reply("answer");
  make(model);
  chat->send(QStringLiteral("first thread"));
  driver.settle();
  const QString first = chat->threadId();
  ASSERT_EQ(chat->messages()->rowCount(), 2);
  EXPECT_EQ(chat->threads()->rowCount(), 1);

  ModelSpies spies(chat->messages());
  QSignalSpy switched(chat.get(), &Chat::threadSwitched);
  QSignalSpy thread_changed(chat.get(), &Chat::threadChanged);
  chat->newThread();
  driver.settle();
  EXPECT_EQ(switched.count(), 1);
  EXPECT_GE(thread_changed.count(), 1);
  EXPECT_NE(chat->threadId(), first);
  EXPECT_EQ(spies.reset.count(), 1);
  EXPECT_EQ(spies.inserted.count() + spies.removed.count(), 0);
  EXPECT_EQ(chat->messages()->rowCount(), 0);
  EXPECT_TRUE(chat->isEmpty());

  chat->switchToThread(first);
  driver.settle();
  EXPECT_EQ(switched.count(), 2);
  EXPECT_EQ(chat->threadId(), first);
  EXPECT_EQ(spies.reset.count(), 2);
  EXPECT_EQ(chat->messages()->rowCount(), 2);

  // The sidebar: rename shows in the row, archive moves it to the other lane.
  const int row = chat->threads()->rowOf(first);
  ASSERT_GE(row, 0);
  QSignalSpy title(chat.get(), &Chat::threadChanged);
  chat->renameThread(first, QStringLiteral("Trip"));
  driver.settle();
  EXPECT_EQ(chat->threads()->get(row)["title"].toString(), QStringLiteral("Trip"));
  EXPECT_EQ(chat->threadTitle(), QStringLiteral("Trip"));
  EXPECT_GE(title.count(), 1);
  EXPECT_TRUE(chat->threads()->get(row)["isMain"].toBool());
  chat->archiveThread(first);
  driver.settle();
  EXPECT_EQ(chat->threads()->rowOf(first), -1);
  EXPECT_EQ(chat->archivedThreads()->rowOf(first), 0);
  EXPECT_NE(chat->threadId(), first);  // the main thread left for a draft
}

TEST_F(ChatTest, TheDefaultFactoryMakesAQmlCreatedChatWork) {
  model.reply("from the factory");
  Chat::set_default_factory([this](const aui::qt::ChatSetup& setup) {
    EXPECT_TRUE(setup.dispatcher);
    aui::ThreadListRuntimeOptions o;
    o.thread = aui::qt::test::driver_options(driver, model);
    return ChatBackend{std::make_unique<aui::LocalRuntime>(std::move(o)), nullptr, {}};
  });
  Chat made;
  Chat::set_default_factory({});
  driver.settle();
  EXPECT_TRUE(made.ready());
  made.send(QStringLiteral("hi"));
  driver.settle();
  EXPECT_EQ(made.messages()->get(1)["text"].toString(), QStringLiteral("from the factory"));
}

TEST_F(ChatTest, SuggestionsAndFeedbackShowOnTheChat) {
  model.reply("an answer");
  chat = std::make_unique<Chat>();
  aui::ThreadListRuntimeOptions o;
  o.thread = aui::qt::test::driver_options(driver, model);
  o.thread.adapters.suggestion = std::make_shared<aui::StaticSuggestionAdapter>(
      std::vector<aui::ThreadSuggestion>{{"Tell me more", "More", "more"}});
  chat->set_backend(ChatBackend{std::make_unique<aui::LocalRuntime>(std::move(o)), nullptr, {}});
  driver.settle();
  QSignalSpy suggestions(chat.get(), &Chat::suggestionsChanged);
  chat->send(QStringLiteral("q"));
  driver.settle();
  ASSERT_EQ(chat->suggestions().size(), 1);
  EXPECT_EQ(chat->suggestions().at(0).toMap()["prompt"].toString(), QStringLiteral("Tell me more"));
  EXPECT_GE(suggestions.count(), 1);
  chat->sendSuggestion(QStringLiteral("Tell me more"));
  driver.settle();
  EXPECT_EQ(chat->messages()->get(2)["text"].toString(), QStringLiteral("Tell me more"));
  // No feedback adapter: a sentence.
  QSignalSpy errors(chat.get(), &Chat::errorOccurred);
  chat->submitFeedback(chat->messages()->get(1)["messageId"].toString(),
                       QStringLiteral("positive"));
  EXPECT_EQ(errors.count(), 1);
}

TEST_F(ChatTest, ExportShowsTheThread) {
  model.reply("an answer");
  make(model);
  chat->send(QStringLiteral("a question"));
  driver.settle();
  const QString md = chat->exportThread(QStringLiteral("md"));
  EXPECT_TRUE(md.contains(QStringLiteral("a question")));
  EXPECT_TRUE(md.contains(QStringLiteral("an answer")));
  EXPECT_TRUE(chat->exportThread(QStringLiteral("json")).contains(QStringLiteral("\"messages\"")));
}

}  // namespace
