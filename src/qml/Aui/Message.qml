// One message of a thread: the user's text (plain) or the assistant's parts — Markdown text
// (sanitized), reasoning, tool calls, sources, images and files (named, never loaded from the
// network) — with its error, its BranchPicker and its ActionBar. Set the properties from a row
// of Chat.messages (Thread does), or by hand to show a message alone.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    id: root
    property var chat: null
    property string messageId: ""
    /// "user" / "assistant" / "system".
    property string role: "assistant"
    property string text: ""
    /// "running" / "requires-action" / "complete" / "incomplete", and its reason.
    property string status: "complete"
    property string statusReason: ""
    property string errorText: ""
    property int branchNumber: 1
    property int branchCount: 1
    property bool isLast: false
    property string feedback: ""
    property string speech: ""
    property var attachments: []
    /// The message's PartListModel; without one, `text` is shown.
    property var parts: null
    /// Whether the actions are shown (they are on hover, on the last message, and while editing).
    property bool showActions: hover.hovered || isLast

    readonly property bool isUser: role === "user"
    readonly property bool editing: chat !== null && chat.editComposer !== null
                                    && chat.editComposer.editingMessageId === messageId && messageId !== ""

    implicitHeight: layout.implicitHeight + Theme.spacing
    implicitWidth: 400

    HoverHandler { id: hover }

    ColumnLayout {
        id: layout
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.leftMargin: root.isUser ? Math.max(Theme.padding, root.width * 0.15) : Theme.padding
        anchors.rightMargin: root.isUser ? Theme.padding : Math.max(Theme.padding, root.width * 0.05)
        spacing: 2

        Label {
            text: root.isUser ? qsTr("You") : (root.role === "system" ? qsTr("System") : qsTr("Assistant"))
            color: Theme.mutedText
            font.bold: true
            Layout.alignment: root.isUser ? Qt.AlignRight : Qt.AlignLeft
        }

        Rectangle {
            id: bubble
            objectName: "messageBubble"
            Layout.fillWidth: !root.isUser || root.editing
            Layout.alignment: root.isUser ? Qt.AlignRight : Qt.AlignLeft
            Layout.preferredWidth: root.isUser && !root.editing
                                   ? Math.min(userText.implicitWidth + 2 * Theme.padding, layout.width) : -1
            implicitHeight: content.height + 2 * Theme.padding
            radius: Theme.radius
            color: root.isUser ? Theme.userBubble : Theme.assistantBubble

            // A Column with explicit widths, not a layout: the parts come and go with the
            // model (a branch switch replaces them), and Qt 6.4's layouts over Repeater/Loader
            // children lost their widths then (the text wrapped at every word).
            Column {
                id: content
                x: Theme.padding
                y: Theme.padding
                width: bubble.width - 2 * Theme.padding
                spacing: Theme.spacing / 2

                // The user's words, as typed (plain text).
                Label {
                    id: userText
                    objectName: "userText"
                    visible: root.isUser && !root.editing
                    textFormat: Text.PlainText
                    text: root.text
                    wrapMode: Text.Wrap
                    color: Theme.text
                    width: content.width
                }

                // The open edit of this message. Made only while editing: a thread's view makes a
                // Message per row it shows, and a text area with its buttons on every one of them
                // was a good part of the cost of opening a thread.
                Loader {
                    active: root.editing
                    visible: root.editing
                    width: content.width
                    sourceComponent: ColumnLayout {
                        TextArea {
                            id: editArea
                            objectName: "editArea"
                            Layout.fillWidth: true
                            wrapMode: TextEdit.Wrap
                            text: root.editing ? root.chat.editComposer.text : ""
                            onTextChanged: if (root.editing && root.chat.editComposer.text !== text) root.chat.editComposer.text = text
                            Keys.onEscapePressed: root.chat.cancelEdit()
                        }
                        RowLayout {
                            Button {
                                objectName: "saveEditButton"
                                text: qsTr("Send")
                                highlighted: true
                                enabled: root.editing && root.chat.editComposer.canSend
                                onClicked: root.chat.editComposer.send()
                            }
                            Button {
                                objectName: "cancelEditButton"
                                text: qsTr("Cancel")
                                onClicked: root.chat.cancelEdit()
                            }
                        }
                    }
                }

                // The assistant's parts, or its text when there is no part model.
                MarkdownText {
                    visible: !root.isUser && root.parts === null
                    markdown: root.parts === null && !root.isUser ? root.text : ""
                    width: content.width
                }
                Repeater {
                    model: !root.isUser ? root.parts : null
                    delegate: Loader {
                        width: content.width
                        sourceComponent: {
                            switch (model.type) {
                            case "text": return textPart;
                            case "reasoning": return reasoningPart;
                            case "tool-call": return toolPart;
                            default: return otherPart;
                            }
                        }
                        Component {
                            id: textPart
                            MarkdownText {
                                width: content.width
                                markdown: model.text
                            }
                        }
                        Component {
                            id: reasoningPart
                            Column {
                                width: content.width
                                property bool open: false
                                ToolButton {
                                    text: (parent.open ? "▾ " : "▸ ") + qsTr("Reasoning")
                                    onClicked: parent.open = !parent.open
                                }
                                Label {
                                    visible: parent.open
                                    width: parent.width
                                    textFormat: Text.PlainText
                                    text: model.text
                                    wrapMode: Text.Wrap
                                    color: Theme.mutedText
                                }
                            }
                        }
                        Component {
                            id: toolPart
                            ToolCallCard {
                                width: content.width
                                chat: root.chat
                                messageId: root.messageId
                                toolCallId: model.toolCallId
                                toolName: model.toolName
                                argsText: model.argsText
                                args: model.args
                                hasResult: model.hasResult
                                resultText: model.resultText
                                isError: model.isError
                                partStatus: model.partStatus
                                approvalId: model.approvalId
                                approvalState: model.approvalState
                                isHumanTool: model.isHumanTool
                            }
                        }
                        Component {
                            id: otherPart
                            // Sources, images, files and data: named, never fetched. A source's
                            // link opens on click, http(s) only (MarkdownText's rule).
                            MarkdownText {
                                width: content.width
                                markdown: {
                                    const name = model.title || model.filename || model.name || model.url || "";
                                    if (model.type === "source" && model.url)
                                        return "[" + name.replace(/[\[\]]/g, "") + "](" + model.url.replace(/[()\s]/g, "") + ")";
                                    return "*" + model.type + ": " + name.replace(/[*_`\[\]]/g, "") + "*";
                                }
                            }
                        }
                    }
                }

                // An empty reply still being written.
                Label {
                    visible: !root.isUser && root.status === "running" && root.text === ""
                    text: "…"
                    color: Theme.mutedText
                }

                Label {
                    objectName: "attachmentsLabel"
                    visible: root.attachments && root.attachments.length > 0
                    textFormat: Text.PlainText
                    text: qsTr("Attached: %1").arg((root.attachments || []).map(a => a.name).join(", "))
                    color: Theme.mutedText
                    wrapMode: Text.Wrap
                    width: content.width
                }
                Label {
                    objectName: "errorLabel"
                    visible: root.errorText !== "" || root.statusReason === "cancelled"
                    textFormat: Text.PlainText
                    text: root.errorText !== "" ? root.errorText : qsTr("Stopped.")
                    color: root.errorText !== "" ? Theme.error : Theme.mutedText
                    wrapMode: Text.Wrap
                    width: content.width
                }
            }
        }

        RowLayout {
            Layout.alignment: root.isUser ? Qt.AlignRight : Qt.AlignLeft
            spacing: Theme.spacing
            // Kept in the layout (opacity, not visible) so that hovering does not move the text.
            opacity: root.showActions || root.branchCount > 1 ? 1 : 0
            // Both made only when they show (more than one branch; hover, the last message),
            // for the same reason as the edit area: a view makes a Message per row on screen.
            Loader {
                active: root.branchCount > 1
                visible: active
                sourceComponent: BranchPicker {
                    chat: root.chat
                    messageId: root.messageId
                    branchNumber: root.branchNumber
                    branchCount: root.branchCount
                }
            }
            Loader {
                active: root.showActions && !root.editing && root.status !== "running"
                visible: active
                sourceComponent: ActionBar {
                    chat: root.chat
                    messageId: root.messageId
                    role: root.role
                    text: root.text
                    feedback: root.feedback
                    speech: root.speech
                }
            }
        }
    }
}
