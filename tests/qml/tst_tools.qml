// Tool calls in the transcript: a call that needs approval (the demo's deploy) opens the
// ApprovalDialog, and Allow once lets it run; a human tool (the demo's send_email) shows a
// HumanToolForm whose answer becomes the tool's result and the run goes on.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtTest
import Aui

Item {
    id: top
    width: 800
    height: 700

    Chat { id: chat }

    ColumnLayout {
        anchors.fill: parent
        Thread {
            id: thread
            chat: chat
            Layout.fillWidth: true
            Layout.fillHeight: true
        }
        Composer {
            id: composer
            chat: chat
            Layout.fillWidth: true
        }
    }

    TestCase {
        name: "Tools"
        when: windowShown

        function message(row) { return chat.messages.get(row); }
        function delegateAt(row) {
            thread.view.positionViewAtIndex(row, ListView.Contain);
            return thread.view.itemAtIndex(row);
        }
        function send(text) {
            composer.input.forceActiveFocus();
            composer.input.text = text;
            keyClick(Qt.Key_Return);
        }
        function init() {
            chat.newThread();
            tryVerify(() => chat.messages.count === 0);
        }

        function test_approval_dialog_allow_once() {
            send("please deploy the api to staging");
            tryVerify(() => chat.pendingApprovals.length === 1, 5000, "the deploy waits for approval");
            compare(chat.pendingApprovals[0].toolName, "deploy");
            const dialog = findChild(thread, "approvalDialog");
            tryVerify(() => dialog.opened, 3000);
            const question = findChild(dialog.contentItem, "approvalQuestion");
            verify(question.text.indexOf("deploy") >= 0);
            waitForRendering(dialog.contentItem);
            verify(fixtures.ink(question) > 30, "the question is drawn");
            // The card in the message says it waits too.
            const state = findChild(delegateAt(1), "toolCallState");
            compare(state.text, "waiting for your approval");
            mouseClick(findChild(dialog.footer, "dialogAllowOnce"));
            tryVerify(() => chat.pendingApprovals.length === 0, 5000);
            tryVerify(() => !chat.runInProgress, 10000);
            tryVerify(() => !dialog.visible);
            const last = message(chat.messages.count - 1);
            verify(last.text.indexOf("demo") >= 0 || last.text.length > 0, last.text);
            tryVerify(() => findChild(delegateAt(1), "toolCallState").text === "done", 5000);
        }

        function test_approval_deny_on_the_card() {
            thread.approvalDialogEnabled = false;
            send("deploy web to production");
            tryVerify(() => chat.pendingApprovals.length === 1, 5000);
            const card = delegateAt(1);
            const deny = findChild(card, "denyButton");
            tryVerify(() => deny.visible);
            mouseClick(deny);
            tryVerify(() => chat.pendingApprovals.length === 0, 5000);
            tryVerify(() => !chat.runInProgress, 10000);
            tryVerify(() => findChild(delegateAt(1), "toolCallState").text === "denied", 5000);
            thread.approvalDialogEnabled = true;
        }

        function test_human_tool_form() {
            send("send an email to bob@example.com");
            tryVerify(() => chat.messages.count === 2 && message(1).hasToolCalls, 5000);
            let form = null;
            tryVerify(() => {
                form = findChild(delegateAt(1), "humanToolAnswer");
                return form !== null && form.visible;
            }, 5000, "the form asks");
            const question = findChild(delegateAt(1), "humanToolQuestion");
            waitForRendering(delegateAt(1));
            verify(fixtures.ink(question) > 20, "the question is drawn");
            form.forceActiveFocus();
            form.text = "Sent, thanks";
            mouseClick(findChild(delegateAt(1), "humanToolSubmit"));
            tryVerify(() => !chat.runInProgress, 10000);
            tryVerify(() => findChild(delegateAt(1), "toolCallState").text === "done", 5000);
            verify(findChild(delegateAt(1), "toolCallResult").text.indexOf("Sent, thanks") >= 0);
        }
    }
}
