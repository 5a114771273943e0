// Thread + Composer over a real Chat (the demo adapter): send through the composer, the reply
// streams and is drawn, cancel stops it, regenerate makes a branch the BranchPicker moves
// between, and an edit makes a branch of the user's message.
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
            approvalDialogEnabled: false
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
        name: "Chat"
        when: windowShown

        function message(row) { return chat.messages.get(row); }
        function delegateAt(row) {
            thread.view.positionViewAtIndex(row, ListView.Contain);
            return thread.view.itemAtIndex(row);
        }
        function waitIdle() {
            tryVerify(() => !chat.running && !chat.runInProgress, 10000, "the reply ends");
        }
        function sendTyped(text) {
            composer.input.forceActiveFocus();
            composer.input.text = text;
            composer.input.cursorPosition = composer.input.length;
            keyClick(Qt.Key_Return);
        }

        function init() {
            chat.newThread();
            tryVerify(() => chat.messages.count === 0);
        }

        function test_1_send_and_stream() {
            verify(chat.ready);
            sendTyped("hello there");
            tryVerify(() => chat.messages.count === 2, 5000, "user message and reply");
            compare(message(0).role, "user");
            compare(message(0).text, "hello there");
            compare(composer.input.text, "", "the composer is emptied");
            waitIdle();
            compare(message(1).role, "assistant");
            compare(message(1).status, "complete");
            verify(message(1).text.length > 10);
            // The reply is drawn.
            const reply = delegateAt(1);
            verify(reply !== null);
            waitForRendering(reply);
            verify(fixtures.ink(reply) > 200, "the reply's text is drawn");
            const user = findChild(delegateAt(0), "userText");
            compare(user.text, "hello there");
            verify(fixtures.ink(user) > 30, "the user's text is drawn");
        }

        function test_2_shift_enter_is_a_newline() {
            composer.input.forceActiveFocus();
            composer.input.text = "line one";
            composer.input.cursorPosition = composer.input.length;
            keyClick(Qt.Key_Return, Qt.ShiftModifier);
            compare(chat.messages.count, 0, "nothing sent");
            verify(composer.input.text.indexOf("\n") > 0, JSON.stringify(composer.input.text));
            composer.input.text = "";
        }

        function test_3_cancel() {
            sendTyped("tell me a long story");
            tryVerify(() => chat.messages.count === 2 && message(1).text.length > 0, 5000);
            verify(chat.running);
            const stop = findChild(composer, "stopButton");
            verify(stop.visible);
            mouseClick(stop);
            waitIdle();
            compare(message(1).status, "incomplete");
            compare(message(1).statusReason, "cancelled");
            const reply = delegateAt(1);
            const stopped = findChild(reply, "errorLabel");
            verify(stopped.visible);
            waitForRendering(reply);
            verify(fixtures.ink(stopped) > 20, "“Stopped.” is drawn");
        }

        function test_4_regenerate_and_branch_picker() {
            sendTyped("hello");
            tryVerify(() => chat.messages.count === 2);
            waitIdle();
            const firstText = message(1).text;
            let reply = delegateAt(1);
            const regenerate = findChild(reply, "regenerateButton");
            verify(regenerate.visible);
            mouseClick(regenerate);
            tryVerify(() => message(1).branchCount === 2, 5000);
            waitIdle();
            compare(message(1).branchNumber, 2);
            verify(message(1).text !== firstText, "a new reply");
            reply = delegateAt(1);
            const label = findChild(reply, "branchLabel");
            tryCompare(label, "text", "2/2");
            waitForRendering(reply);
            verify(fixtures.ink(label) > 10, "“2/2” is drawn");
            mouseClick(findChild(reply, "previousBranchButton"));
            tryVerify(() => message(1).branchNumber === 1);
            compare(message(1).text, firstText);
            tryCompare(findChild(delegateAt(1), "branchLabel"), "text", "1/2");
        }

        function test_5_edit_makes_a_branch() {
            sendTyped("first words");
            tryVerify(() => chat.messages.count === 2);
            waitIdle();
            // The actions of a message that is not the last show on hover.
            const user = delegateAt(0);
            mouseMove(user, user.width / 2, 10);
            const edit = findChild(user, "editButton");
            tryVerify(() => edit.visible);
            mouseClick(edit);
            tryVerify(() => chat.editComposer !== null);
            const area = findChild(delegateAt(0), "editArea");
            tryVerify(() => area.visible);
            compare(area.text, "first words");
            area.text = "second words";
            mouseClick(findChild(delegateAt(0), "saveEditButton"));
            tryVerify(() => message(0).branchCount === 2, 5000);
            compare(message(0).text, "second words");
            compare(message(0).branchNumber, 2);
            waitIdle();
            const label = findChild(delegateAt(0), "branchLabel");
            tryCompare(label, "text", "2/2");
            mouseClick(findChild(delegateAt(0), "previousBranchButton"));
            tryVerify(() => message(0).text === "first words");
        }

        function test_6_follows_until_scrolled_up() {
            sendTyped("tell me a long story");
            tryVerify(() => chat.messages.count === 2);
            waitIdle();
            sendTyped("tell me another long story");
            tryVerify(() => chat.messages.count === 4, 5000);
            verify(chat.running, "still streaming (the demo's story takes seconds)");
            // While it streams the view stays at the end.
            tryVerify(() => thread.view.contentHeight > thread.view.height * 1.5, 10000);
            verify(thread.following);
            // The user scrolls up: the view stays where the user put it while the text grows.
            mouseWheel(thread.view, thread.view.width / 2, thread.view.height / 2, 0, 600);
            tryVerify(() => !thread.following, 3000);
            tryVerify(() => !thread.view.moving, 3000);
            const y = thread.view.contentY;
            const h = thread.view.contentHeight;
            tryVerify(() => thread.view.contentHeight > h + 20 || !chat.running, 10000);
            compare(thread.view.contentY, y, "not moved by the stream");
            const down = findChild(thread, "scrollToEndButton");
            verify(down.visible);
            mouseClick(down);
            verify(thread.following);
            chat.cancel();
            waitIdle();
            const v = thread.view;
            tryVerify(() => v.atYEnd, 3000, "back at the end");
        }

        function test_7_attachment_chip_and_send() {
            verify(chat.capabilities.attachments, "the demo factory takes attachments");
            verify(findChild(composer, "attachButton").visible);
            chat.composer.addAttachment(Qt.resolvedUrl("../../README.md"));
            let chip = null;
            tryVerify(() => {
                chip = findChild(composer, "attachmentChip");
                return chip !== null && chat.composer.attachments.length === 1;
            }, 5000, "the attachment shows");
            tryVerify(() => chat.composer.attachments[0].status === "complete" || chat.composer.attachments[0].status === "requires-action", 5000);
            compare(chat.composer.attachments[0].name, "README.md");
            waitForRendering(composer);
            verify(fixtures.ink(chip) > 20, "its name is drawn");
            sendTyped("what is in this file?");
            tryVerify(() => chat.messages.count === 2, 5000);
            compare(message(0).attachments.length, 1);
            const label = findChild(delegateAt(0), "attachmentsLabel");
            verify(label.visible);
            verify(label.text.indexOf("README.md") >= 0, label.text);
            compare(chat.composer.attachments.length, 0, "the composer is emptied");
            waitIdle();
        }
    }
}
