// The sidebar of threads: New, a search field (full-text through Chat.search when the chat has a
// store, else a filter of the titles), the threads newest first (the one shown marked, a running
// one marked), and per thread Rename, Archive and Delete (after a confirmation). The archived
// threads are under their own heading.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    id: root
    required property var chat
    /// The search field (Ctrl+F focuses it in aui-desktop).
    readonly property alias searchField: search
    readonly property bool searching: search.text.trim() !== ""
    readonly property bool fullText: chat && chat.search && chat.search.available

    /// Starts renaming a thread (an inline field replaces its title).
    property string renamingId: ""

    color: Theme.sidebar
    implicitWidth: 260

    function displayTitle(title) { return title !== "" ? title : qsTr("New chat"); }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.padding / 2
        spacing: Theme.spacing / 2

        Button {
            objectName: "newThreadButton"
            text: qsTr("New chat")
            Layout.fillWidth: true
            onClicked: root.chat.newThread()
        }
        TextField {
            id: search
            objectName: "threadSearch"
            placeholderText: root.fullText ? qsTr("Search all chats") : qsTr("Filter chats")
            Layout.fillWidth: true
            onTextChanged: if (root.fullText) root.chat.search.query = text.trim()
            Keys.onEscapePressed: text = ""
        }

        // Full-text results.
        ListView {
            objectName: "searchResults"
            visible: root.searching && root.fullText
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: root.fullText ? root.chat.search : null
            delegate: ItemDelegate {
                width: ListView.view.width
                contentItem: ColumnLayout {
                    Label {
                        textFormat: Text.PlainText
                        text: root.displayTitle(model.title)
                        font.bold: true
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                        color: Theme.text
                    }
                    Label {
                        textFormat: Text.PlainText
                        text: model.snippet
                        wrapMode: Text.Wrap
                        maximumLineCount: 2
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                        color: Theme.mutedText
                    }
                }
                onClicked: root.chat.switchToThread(model.threadId)
            }
            Label {
                anchors.centerIn: parent
                visible: parent.count === 0 && !(root.chat.search.busy)
                text: qsTr("No chat has these words.")
                color: Theme.mutedText
            }
        }

        ListView {
            id: threadView
            objectName: "threadListView"
            visible: !(root.searching && root.fullText)
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: root.chat ? root.chat.threads : null
            delegate: threadDelegate
            footer: ColumnLayout {
                width: threadView.width
                visible: archivedView.count > 0 && !root.searching
                Label {
                    text: qsTr("Archived")
                    color: Theme.mutedText
                    font.bold: true
                    topPadding: Theme.spacing
                }
                ListView {
                    id: archivedView
                    objectName: "archivedListView"
                    Layout.fillWidth: true
                    Layout.preferredHeight: contentHeight
                    interactive: false
                    model: root.chat ? root.chat.archivedThreads : null
                    delegate: threadDelegate
                }
            }
        }
    }

    Component {
        id: threadDelegate
        ItemDelegate {
            id: item
            readonly property bool matches: !root.searching || root.fullText
                || model.title.toLowerCase().indexOf(search.text.trim().toLowerCase()) >= 0
            width: ListView.view ? ListView.view.width : 200
            visible: matches
            height: matches ? implicitHeight : 0
            highlighted: model.isMain
            onClicked: root.chat.switchToThread(model.threadId)
            contentItem: RowLayout {
                Label {
                    visible: root.renamingId !== model.threadId
                    objectName: "threadTitle"
                    textFormat: Text.PlainText
                    text: root.displayTitle(model.title)
                    elide: Text.ElideRight
                    color: item.highlighted ? item.palette.highlightedText : Theme.text
                    Layout.fillWidth: true
                }
                TextField {
                    id: renameField
                    objectName: "renameField"
                    visible: root.renamingId === model.threadId
                    Layout.fillWidth: true
                    onVisibleChanged: if (visible) { text = model.title; forceActiveFocus(); selectAll(); }
                    onAccepted: {
                        root.chat.renameThread(model.threadId, text);
                        root.renamingId = "";
                    }
                    Keys.onEscapePressed: root.renamingId = ""
                }
                BusyIndicator {
                    visible: model.isRunning
                    running: visible
                    Layout.preferredWidth: 16
                    Layout.preferredHeight: 16
                }
                ToolButton {
                    objectName: "threadMenuButton"
                    text: "⋯"
                    Accessible.name: qsTr("Thread actions")
                    onClicked: menu.open()
                    Menu {
                        id: menu
                        MenuItem {
                            text: qsTr("Rename")
                            onTriggered: root.renamingId = model.threadId
                        }
                        MenuItem {
                            text: model.status === "archived" ? qsTr("Unarchive") : qsTr("Archive")
                            onTriggered: model.status === "archived" ? root.chat.unarchiveThread(model.threadId)
                                                                     : root.chat.archiveThread(model.threadId)
                        }
                        MenuItem {
                            text: qsTr("Delete…")
                            onTriggered: {
                                confirmDelete.threadId = model.threadId;
                                confirmDelete.threadTitle = root.displayTitle(model.title);
                                confirmDelete.open();
                            }
                        }
                    }
                }
            }
        }
    }

    Dialog {
        id: confirmDelete
        objectName: "confirmDelete"
        property string threadId: ""
        property string threadTitle: ""
        parent: Overlay.overlay
        anchors.centerIn: parent
        modal: true
        width: 360
        title: qsTr("Delete the chat?")
        standardButtons: Dialog.Ok | Dialog.Cancel
        Label {
            textFormat: Text.PlainText
            text: qsTr("“%1” and all its messages will be deleted. This cannot be undone.").arg(confirmDelete.threadTitle)
            wrapMode: Text.Wrap
            width: confirmDelete.availableWidth
        }
        onAccepted: root.chat.deleteThread(threadId)
    }
}
