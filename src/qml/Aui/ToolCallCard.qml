// A tool call in a message: the tool's name, its arguments (as the model wrote them, plain text),
// its state (running, waiting for approval, waiting for a person, done, failed) and its result.
// A call waiting for approval shows allow once / always / deny; one waiting for a person shows a
// HumanToolForm. Alone it emits signals; with `chat` set it answers through the Chat.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    id: root
    property var chat: null
    property string messageId: ""
    property string toolCallId: ""
    property string toolName: ""
    property string argsText: ""
    property var args: ({})
    property bool hasResult: false
    property string resultText: ""
    property bool isError: false
    /// "running" / "complete" / "incomplete".
    property string partStatus: "complete"
    property string approvalId: ""
    /// "" / "pending" / "approved" / "denied" / "cancelled" / "expired".
    property string approvalState: ""
    property bool isHumanTool: false
    /// Whether the arguments and the result are shown (a click on the header toggles).
    property bool expanded: isHumanTool || approvalState === "pending"

    signal allowed(bool always)
    signal denied()

    readonly property string stateText: {
        if (approvalState === "pending") return qsTr("waiting for your approval");
        if (approvalState === "denied") return qsTr("denied");
        if (approvalState === "cancelled" || approvalState === "expired") return qsTr("not approved in time");
        if (isHumanTool) return qsTr("waiting for your answer");
        if (hasResult) return isError ? qsTr("failed") : qsTr("done");
        if (partStatus === "incomplete") return qsTr("stopped");
        return qsTr("running…");
    }

    implicitHeight: column.implicitHeight + 2 * Theme.padding / 2
    implicitWidth: 320
    radius: Theme.radius / 2
    color: Theme.codeBackground
    border.color: approvalState === "pending" || isHumanTool ? Theme.warning : (isError ? Theme.error : Theme.border)

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: Theme.padding / 2
        spacing: 4
        RowLayout {
            Layout.fillWidth: true
            Label {
                objectName: "toolCallTitle"
                textFormat: Text.PlainText
                text: qsTr("Tool %1").arg(root.toolName)
                font.bold: true
                color: Theme.text
                Layout.fillWidth: true
                elide: Text.ElideRight
            }
            Label {
                objectName: "toolCallState"
                text: root.stateText
                color: root.isError ? Theme.error : Theme.mutedText
            }
            ToolButton {
                text: root.expanded ? "▾" : "▸"
                Accessible.name: root.expanded ? qsTr("Hide details") : qsTr("Show details")
                onClicked: root.expanded = !root.expanded
            }
        }
        Label {
            visible: root.expanded && root.argsText !== ""
            textFormat: Text.PlainText
            text: root.argsText
            font.family: Theme.monoFamily
            wrapMode: Text.WrapAnywhere
            color: Theme.mutedText
            Layout.fillWidth: true
        }
        Label {
            objectName: "toolCallResult"
            visible: root.expanded && root.hasResult
            textFormat: Text.PlainText
            text: root.resultText
            font.family: Theme.monoFamily
            wrapMode: Text.WrapAnywhere
            color: root.isError ? Theme.error : Theme.text
            maximumLineCount: 12
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
        RowLayout {
            visible: root.approvalState === "pending"
            Button {
                objectName: "allowOnceButton"
                text: qsTr("Allow once")
                highlighted: true
                onClicked: {
                    root.allowed(false);
                    if (root.chat) root.chat.allow(root.approvalId);
                }
            }
            Button {
                objectName: "allowAlwaysButton"
                text: qsTr("Always allow")
                onClicked: {
                    root.allowed(true);
                    if (root.chat) root.chat.allowAlways(root.approvalId);
                }
            }
            Button {
                objectName: "denyButton"
                text: qsTr("Deny")
                onClicked: {
                    root.denied();
                    if (root.chat) root.chat.deny(root.approvalId, "");
                }
            }
        }
        HumanToolForm {
            visible: root.isHumanTool && root.approvalState !== "pending"
            Layout.fillWidth: true
            toolName: root.toolName
            args: root.args
            argsText: root.argsText
            chat: root.chat
            messageId: root.messageId
            toolCallId: root.toolCallId
        }
    }
}
