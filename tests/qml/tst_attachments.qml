// The Composer's attachments by drag and drop and by its file dialog, over a real Chat (the
// demo factory takes files): each file becomes a chip and goes out with the next message.
// The drop is the window's own drag-and-drop events carrying file URLs (fixtures.dropFiles),
// what a file manager's drop delivers; the dialog is the Composer's own FileDialog (Qt Quick's
// non-native one offscreen), where a file is clicked and Open pressed.
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtTest
import Aui

Item {
    id: top
    width: 800
    height: 400

    Chat { id: chat }

    Composer {
        id: composer
        chat: chat
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
    }

    TestCase {
        name: "Attachments"
        when: windowShown

        readonly property url readme: Qt.resolvedUrl("../../README.md")
        readonly property url guide: Qt.resolvedUrl("../../docs/qt.md")

        function names() {
            return chat.composer.attachments.map(a => a.name).sort();
        }
        function settled() {
            return chat.composer.attachments.every(a => a.status !== "running");
        }

        function init() {
            chat.newThread();
            tryVerify(() => chat.messages.count === 0);
            chat.composer.clearAttachments();
            compare(chat.composer.attachments.length, 0);
        }
        function cleanup() {
            // The demo's reply to the files is not what is tested: stopped, not waited for.
            if (chat.runInProgress)
                chat.cancel();
            tryVerify(() => !chat.runInProgress, 10000, "the reply ends");
        }

        function test_1_dropped_files_become_attachments() {
            verify(chat.capabilities.attachments, "the demo factory takes attachments");
            verify(composer.dropArea.enabled);
            verify(fixtures.dropFiles(composer, [readme, guide]), "the drop is accepted");
            tryVerify(() => chat.composer.attachments.length === 2 && settled(), 5000);
            compare(names(), ["README.md", "qt.md"]);
            // Each shows as a chip with its name drawn.
            waitForRendering(composer);
            const chip = findChild(composer, "attachmentChip");
            verify(chip !== null);
            verify(fixtures.ink(chip) > 20, "a chip's name is drawn");
            // And they go out with the message.
            composer.input.forceActiveFocus();
            composer.input.text = "what are these?";
            keyClick(Qt.Key_Return);
            tryVerify(() => chat.messages.count === 2, 5000);
            compare(chat.messages.get(0).attachments.length, 2);
            compare(chat.composer.attachments.length, 0, "the composer is emptied");
        }

        function test_2_a_drop_without_files_attaches_nothing() {
            verify(!fixtures.dropFiles(composer, []), "nothing to take: refused");
            compare(chat.composer.attachments.length, 0);
        }

        // The dialog's row for `name` (Qt Quick's own file dialog: a list of the folder's files).
        function dialogRow(name) {
            const list = findChild(top.Window.contentItem, "fileDialogListView");
            if (!list)
                return null;
            for (let i = 0; i < list.count; ++i) {
                list.positionViewAtIndex(i, ListView.Contain);
                const row = list.itemAtIndex(i);
                if (row && row.fileName === name)
                    return row;
            }
            return null;
        }
        // The visible button labelled `text` under `item`.
        function button(item, text) {
            if (!item)
                return null;
            if (item.visible && item.text === text && item.clicked !== undefined)
                return item;
            const kids = item.children || [];
            for (let i = 0; i < kids.length; ++i) {
                const found = button(kids[i], text);
                if (found)
                    return found;
            }
            return null;
        }

        function test_3_the_file_dialog_attaches_the_file_chosen() {
            const dialog = composer.fileDialog;
            verify(dialog !== null);
            compare(dialog.fileMode, FileDialog.OpenFiles);
            dialog.currentFolder = Qt.resolvedUrl("../..");
            // The attach button opens it; the user clicks README.md, then Open.
            const attach = findChild(composer, "attachButton");
            verify(attach.visible);
            mouseClick(attach);
            tryVerify(() => dialog.visible, 5000, "the dialog opens");
            let row = null;
            tryVerify(() => (row = dialogRow("README.md")) !== null, 5000, "README.md is listed");
            mouseClick(row);
            const open = button(top.Window.contentItem, "Open");
            verify(open !== null, "the dialog's Open button");
            mouseClick(open);
            tryVerify(() => !dialog.visible, 5000, "the dialog closes");
            tryVerify(() => chat.composer.attachments.length === 1 && settled(), 5000);
            compare(names(), ["README.md"]);
            // Cancelled, it attaches nothing more.
            mouseClick(attach);
            tryVerify(() => dialog.visible, 5000);
            tryVerify(() => (row = dialogRow("CMakeLists.txt")) !== null, 5000);
            mouseClick(row);
            mouseClick(button(top.Window.contentItem, "Cancel"));
            tryVerify(() => !dialog.visible, 5000);
            compare(names(), ["README.md"]);
        }
    }
}
