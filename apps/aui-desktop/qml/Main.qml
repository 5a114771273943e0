// aui-desktop's window: the threads on the left (ThreadList), the transcript (Thread) and the
// Composer on the right, a settings dialog for the backend. Ctrl+N starts a new chat, Ctrl+F
// searches the chats, Esc stops a reply (or closes an edit), Ctrl+, opens the settings.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Aui

ApplicationWindow {
    id: window
    width: 1100
    height: 760
    visible: true
    title: chat.threadTitle !== "" ? chat.threadTitle + " — aui-desktop" : "aui-desktop"
    color: Theme.window
    // The controls' colours follow the theme (Fusion draws with the window's palette, which every
    // control and popup in the window inherits).
    palette.window: Theme.window
    palette.windowText: Theme.text
    palette.base: Theme.dark ? "#2b2d31" : "#ffffff"
    palette.alternateBase: Theme.assistantBubble
    palette.text: Theme.text
    palette.button: Theme.dark ? "#2f3136" : "#f3f4f6"
    palette.buttonText: Theme.text
    palette.light: Theme.dark ? "#3c3f45" : "#ffffff"
    palette.midlight: Theme.dark ? "#34373c" : "#e4e6ea"
    palette.mid: Theme.dark ? "#26282c" : "#c9ccd1"
    palette.dark: Theme.dark ? "#16171a" : "#9ca0a6"
    palette.shadow: "#000000"
    palette.highlight: Theme.accent
    palette.highlightedText: Theme.dark ? "#16171a" : "#ffffff"
    palette.placeholderText: Theme.mutedText
    palette.toolTipBase: Theme.sidebar
    palette.toolTipText: Theme.text
    palette.link: Theme.link

    Component.onCompleted: Theme.dark = darkTheme

    Chat {
        id: chat
        objectName: "chat"
        onErrorOccurred: message => errorBar.show(message)
    }

    ChatShortcuts {
        chat: chat
        composerInput: composer.input
        searchField: threadList.searchField
    }
    Shortcut {
        sequence: "Ctrl+,"
        onActivated: settings.open()
    }

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.padding
            Label {
                objectName: "backendLabel"
                text: desktop.banner
                textFormat: Text.PlainText
                elide: Text.ElideRight
                color: Theme.mutedText
                Layout.fillWidth: true
            }
            ToolButton {
                objectName: "settingsButton"
                text: qsTr("Settings")
                onClicked: settings.open()
            }
        }
    }

    SplitView {
        anchors.fill: parent
        ThreadList {
            id: threadList
            chat: chat
            SplitView.preferredWidth: 260
            SplitView.minimumWidth: 180
        }
        ColumnLayout {
            spacing: 0
            SplitView.fillWidth: true
            Thread {
                id: thread
                objectName: "thread"
                chat: chat
                Layout.fillWidth: true
                Layout.fillHeight: true
            }
            Rectangle {
                id: errorBar
                objectName: "errorBar"
                property string message: ""
                function show(text) {
                    message = text;
                    visible = true;
                }
                visible: false
                color: Theme.dark ? "#3b1f24" : "#ffebe9"
                Layout.fillWidth: true
                implicitHeight: errorRow.implicitHeight + Theme.padding
                RowLayout {
                    id: errorRow
                    anchors.fill: parent
                    anchors.margins: Theme.padding / 2
                    Label {
                        textFormat: Text.PlainText
                        text: errorBar.message
                        color: Theme.error
                        wrapMode: Text.Wrap
                        Layout.fillWidth: true
                    }
                    ToolButton {
                        text: "✕"
                        Accessible.name: qsTr("Close")
                        onClicked: errorBar.visible = false
                    }
                }
            }
            // Follow-up questions after a reply (the chat's suggestions): a click sends one.
            // The empty thread shows its own in the transcript.
            Suggestions {
                id: followUps
                objectName: "followUps"
                chat: chat
                visible: !chat.isEmpty && !chat.runInProgress && suggestions.length > 0
                Layout.fillWidth: true
                Layout.leftMargin: Theme.padding
                Layout.rightMargin: Theme.padding
                Layout.topMargin: Theme.spacing / 2
            }
            Composer {
                id: composer
                objectName: "composer"
                chat: chat
                Layout.fillWidth: true
                Component.onCompleted: input.forceActiveFocus()
            }
        }
    }

    SettingsDialog {
        id: settings
        chat: chat
    }
}
