// Asks the user whether a tool may run: the tool's name and its arguments (plain text: they come
// from the model), and Allow once / Always allow (this tool, from now on) / Deny. Alone, set
// `approval` ({approvalId, toolName, argsText}) and open(); with `chat` set it answers through it.
// Closing it (Esc) leaves the approval pending: it stays shown in the message.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Dialog {
    id: root
    property var chat: null
    /// The gate: {approvalId, messageId, toolCallId, toolName, argsText, options}.
    property var approval: ({})

    signal allowedOnce(string approvalId)
    signal allowedAlways(string approvalId)
    signal denied(string approvalId)

    title: qsTr("Allow the tool to run?")
    modal: true
    closePolicy: Popup.CloseOnEscape
    anchors.centerIn: parent
    width: Math.min(520, parent ? parent.width - 2 * Theme.padding : 520)

    function answer(kind) {
        const id = root.approval.approvalId || "";
        if (kind === "once") {
            root.allowedOnce(id);
            if (root.chat) root.chat.allow(id);
        } else if (kind === "always") {
            root.allowedAlways(id);
            if (root.chat) root.chat.allowAlways(id);
        } else {
            root.denied(id);
            if (root.chat) root.chat.deny(id, "");
        }
        root.close();
    }

    contentItem: ColumnLayout {
        spacing: Theme.spacing
        Label {
            objectName: "approvalQuestion"
            textFormat: Text.PlainText
            text: qsTr("The assistant wants to run the tool “%1”.").arg(root.approval.toolName || "")
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Label {
            text: qsTr("With these arguments:")
            color: Theme.mutedText
            visible: (root.approval.argsText || "") !== ""
        }
        ScrollView {
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(argsLabel.implicitHeight + 8, 200)
            visible: (root.approval.argsText || "") !== ""
            Label {
                id: argsLabel
                textFormat: Text.PlainText
                text: root.approval.argsText || ""
                font.family: Theme.monoFamily
                wrapMode: Text.WrapAnywhere
                width: root.availableWidth
            }
        }
    }

    footer: DialogButtonBox {
        Button {
            objectName: "dialogAllowOnce"
            text: qsTr("Allow once")
            highlighted: true
            onClicked: root.answer("once")
        }
        Button {
            objectName: "dialogAllowAlways"
            text: qsTr("Always allow")
            onClicked: root.answer("always")
        }
        Button {
            objectName: "dialogDeny"
            text: qsTr("Deny")
            onClicked: root.answer("deny")
        }
    }
}
