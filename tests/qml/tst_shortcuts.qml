// ChatShortcuts over a real Chat: Esc stops a reply and closes an edit, Ctrl+N starts a new chat
// with the cursor in the composer, Ctrl+F goes to the thread search.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtTest
import Aui

Item {
    id: top
    width: 900
    height: 600

    Chat { id: chat }
    RowLayout {
        anchors.fill: parent
        ThreadList {
            id: threadList
            chat: chat
            Layout.fillHeight: true
        }
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
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
    }
    ChatShortcuts {
        chat: chat
        composerInput: composer.input
        searchField: threadList.searchField
    }

    TestCase {
        name: "Shortcuts"
        when: windowShown

        function message(row) { return chat.messages.get(row); }

        function test_1_esc_stops_the_reply() {
            chat.send("tell me a long story");
            tryVerify(() => chat.messages.count === 2 && chat.running && message(1).text.length > 0, 5000);
            composer.input.forceActiveFocus();
            keyClick(Qt.Key_Escape);
            tryVerify(() => !chat.runInProgress, 5000);
            compare(message(1).statusReason, "cancelled");
        }
        function test_2_esc_closes_the_edit() {
            tryVerify(() => chat.messages.count >= 1);
            chat.beginEdit(message(0).messageId);
            tryVerify(() => chat.editComposer !== null);
            keyClick(Qt.Key_Escape);
            tryVerify(() => chat.editComposer === null);
        }
        function test_3_ctrl_n_and_ctrl_f() {
            const before = chat.threadId;
            threadList.searchField.forceActiveFocus();
            keyClick(Qt.Key_N, Qt.ControlModifier);
            tryVerify(() => chat.threadId !== before && chat.messages.count === 0, 5000);
            verify(composer.input.activeFocus, "the cursor is in the composer");
            keyClick(Qt.Key_F, Qt.ControlModifier);
            verify(threadList.searchField.activeFocus, "the cursor is in the search");
        }
    }
}
