// Where the user writes: a multi-line field (Enter sends, Shift+Enter starts a new line), the
// attachments (a file dialog, or files dropped on it) with a remove button each, dictation when
// the chat has it, and Send — or Stop while a reply is being written. Works on `chat.composer`.
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import QtQuick.Window

Rectangle {
    id: root
    required property var chat
    readonly property var composer: chat ? chat.composer : null
    readonly property var caps: chat ? chat.capabilities : ({})
    /// The text field (apps focus it, tests type into it).
    readonly property alias input: area
    /// The dialog the attach button opens (apps may set its folder or name filters; each file
    /// it is accepted with becomes an attachment).
    readonly property alias fileDialog: fileDialog
    /// The area files are dropped on (the whole composer).
    readonly property alias dropArea: drop
    property string placeholderText: qsTr("Write a message…  (Enter sends, Shift+Enter: new line)")

    /// Sends what is written (no-op when nothing can be sent).
    function send() {
        if (root.composer && root.composer.canSend)
            root.composer.send();
    }
    /// Attaches each file (file:// URLs or paths), as a drop or the file dialog does; the
    /// composer reports a file it cannot take through its `failed` signal.
    function attachFiles(urls) {
        if (!root.composer)
            return;
        for (const url of urls)
            root.composer.addAttachment(url);
    }

    implicitHeight: column.implicitHeight + 2 * Theme.padding
    color: Theme.window
    border.color: drop.containsDrag ? Theme.accent : "transparent"

    FileDialog {
        id: fileDialog
        title: qsTr("Attach files")
        fileMode: FileDialog.OpenFiles
        // The window the composer is in now: the dialog looks for it only once, when created,
        // and a composer put into a window later (a view loading it, a Loader) would otherwise
        // get a dialog that never opens.
        parentWindow: root.Window.window
        onAccepted: root.attachFiles(selectedFiles)
    }

    DropArea {
        id: drop
        anchors.fill: parent
        enabled: root.caps.attachments === true
        // Only files: a drag of text or anything else is refused (no highlight, no drop).
        onEntered: drag => {
            drag.accepted = drag.hasUrls && drag.urls.length > 0;
        }
        onDropped: drop => {
            if (!drop.hasUrls || drop.urls.length === 0) {
                drop.accepted = false;
                return;
            }
            root.attachFiles(drop.urls);
            drop.acceptProposedAction();
        }
    }

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: Theme.padding
        spacing: Theme.spacing / 2

        // Queued messages (typed while a reply was being written).
        Repeater {
            model: root.composer ? root.composer.queue : []
            delegate: RowLayout {
                required property var modelData
                Layout.fillWidth: true
                Label {
                    textFormat: Text.PlainText
                    text: qsTr("Queued: %1").arg(modelData.prompt)
                    color: Theme.mutedText
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                ToolButton {
                    text: "✕"
                    Accessible.name: qsTr("Remove from the queue")
                    onClicked: root.composer.removeQueued(modelData.id)
                }
            }
        }

        // The attachments, each with its state and a remove button.
        Flow {
            Layout.fillWidth: true
            spacing: Theme.spacing / 2
            visible: root.composer && root.composer.attachments.length > 0
            Repeater {
                model: root.composer ? root.composer.attachments : []
                delegate: Rectangle {
                    required property var modelData
                    objectName: "attachmentChip"
                    radius: Theme.radius
                    color: Theme.assistantBubble
                    border.color: modelData.status === "incomplete" ? Theme.error : Theme.border
                    implicitWidth: chipRow.implicitWidth + Theme.padding
                    implicitHeight: chipRow.implicitHeight
                    RowLayout {
                        id: chipRow
                        anchors.centerIn: parent
                        Label {
                            textFormat: Text.PlainText
                            text: modelData.name + (modelData.status === "running" ? " …" : "")
                                  + (modelData.message ? " — " + modelData.message : "")
                            color: Theme.text
                        }
                        ToolButton {
                            text: "✕"
                            Accessible.name: qsTr("Remove the attachment")
                            onClicked: root.composer.removeAttachment(modelData.id)
                        }
                    }
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing / 2

            ToolButton {
                objectName: "attachButton"
                text: "+"
                visible: root.caps.attachments === true
                Accessible.name: qsTr("Attach files")
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Attach files (or drop them here)")
                onClicked: fileDialog.open()
            }

            ScrollView {
                Layout.fillWidth: true
                Layout.preferredHeight: Math.min(area.implicitHeight, 8 * area.font.pixelSize * 1.4 + 16)
                TextArea {
                    id: area
                    objectName: "composerInput"
                    wrapMode: TextEdit.Wrap
                    placeholderText: root.placeholderText
                    enabled: root.composer !== null && !root.composer.inputDisabled
                    Accessible.name: qsTr("Message")
                    // The text lives in the composer (the runtime's); the field mirrors it.
                    onTextChanged: if (root.composer && root.composer.text !== text) root.composer.text = text
                    Keys.onPressed: event => {
                        if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter)
                                && !(event.modifiers & Qt.ShiftModifier)) {
                            root.send();
                            event.accepted = true;
                        }
                    }
                    Connections {
                        target: root.composer
                        function onChanged() {
                            if (area.text !== root.composer.text)
                                area.text = root.composer.text;
                        }
                    }
                }
            }

            Label {
                // The words heard so far (also in the field, where they become final).
                objectName: "dictationTranscript"
                visible: root.composer && root.composer.dictating && root.composer.dictationTranscript !== ""
                textFormat: Text.PlainText
                text: root.composer ? root.composer.dictationTranscript : ""
                color: Theme.mutedText
                Layout.maximumWidth: 200
                elide: Text.ElideLeft
            }
            ToolButton {
                // The microphone: only when the chat has a dictation adapter.
                objectName: "dictateButton"
                visible: root.caps.dictation === true
                text: root.composer && root.composer.dictating ? qsTr("Stop dictation") : qsTr("Dictate")
                Accessible.name: root.composer && root.composer.dictating ? qsTr("Stop dictation") : qsTr("Dictate with the microphone")
                onClicked: root.composer.dictating ? root.composer.stopDictation() : root.composer.startDictation()
            }
            Button {
                objectName: "stopButton"
                visible: root.chat && root.chat.running
                text: qsTr("Stop")
                onClicked: root.chat.cancel()
            }
            Button {
                objectName: "sendButton"
                text: qsTr("Send")
                highlighted: true
                enabled: root.composer !== null && root.composer.canSend
                onClicked: root.send()
            }
        }
    }
}
