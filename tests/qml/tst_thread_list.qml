// ThreadList over a real Chat: new chats appear, one is renamed inline, archived (it moves to
// the archived list), and deleted after the confirmation.
import QtQuick
import QtQuick.Controls
import QtTest
import Aui

Item {
    id: top
    width: 400
    height: 600

    Chat { id: chat }

    ThreadList {
        id: list
        chat: chat
        anchors.fill: parent
    }

    TestCase {
        name: "ThreadList"
        when: windowShown

        function threadView() { return findChild(list, "threadListView"); }

        function test_new_rename_archive_delete() {
            // A thread with a message is a real one (a draft is not listed).
            chat.send("first chat");
            tryVerify(() => chat.threads.count >= 1 && !chat.runInProgress, 10000);
            const first = chat.threadId;
            mouseClick(findChild(list, "newThreadButton"));
            tryVerify(() => chat.threadId !== first);
            chat.send("second chat");
            tryVerify(() => chat.threads.count >= 2 && !chat.runInProgress, 10000);

            const view = threadView();
            tryVerify(() => view.count >= 2);
            // Rename the first item through its menu and the inline field.
            const item = view.itemAtIndex(0);
            const id = chat.threadId;
            mouseClick(findChild(item, "threadMenuButton"));
            list.renamingId = id;  // what the menu's Rename does
            const field = findChild(item, "renameField");
            tryVerify(() => field.visible);
            field.text = "Renamed chat";
            keyClick(Qt.Key_Return);
            tryVerify(() => findChild(view.itemAtIndex(0), "threadTitle").text === "Renamed chat", 5000);
            const title = findChild(view.itemAtIndex(0), "threadTitle");
            waitForRendering(view);
            verify(fixtures.ink(title) > 30, "the new title is drawn");

            // Archive: it leaves the list of regular threads for the archived one.
            const before = chat.threads.count;
            chat.archiveThread(id);
            tryVerify(() => chat.threads.count === before - 1, 5000);
            tryVerify(() => chat.archivedThreads.count === 1, 5000);

            // Delete after the confirmation.
            const confirm = findChild(list, "confirmDelete");
            confirm.threadId = id;
            confirm.threadTitle = "Renamed chat";
            confirm.open();
            tryVerify(() => confirm.opened);
            confirm.accept();
            tryVerify(() => chat.archivedThreads.count === 0, 5000);
        }

        function test_filter_titles() {
            const search = findChild(list, "threadSearch");
            if (chat.search.available)
                skip("full-text search replaces the filter when there is a store");
            search.text = "no such title";
            const view = threadView();
            tryVerify(() => {
                for (let i = 0; i < view.count; ++i) {
                    const it = view.itemAtIndex(i);
                    if (it && it.visible) return false;
                }
                return true;
            });
            search.text = "";
        }
    }
}
