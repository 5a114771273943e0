// The answer a person gives to a tool call that waits for one (a human tool or an interrupt):
// the question the model asked (from the arguments' "question", "prompt" or "message", else the
// arguments as JSON), choice buttons when the arguments list "options"/"choices", else a text
// field; Submit sends the answer as the tool's result, Decline sends an error result.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    id: root
    /// The tool call: its name, parsed arguments and raw argument text.
    property string toolName: ""
    property var args: ({})
    property string argsText: ""
    /// Optional: the Chat, message and call the answer goes to.
    property var chat: null
    property string messageId: ""
    property string toolCallId: ""

    /// Emitted with the answer (and whether it is a refusal).
    signal answered(var result, bool isError)

    readonly property string question: {
        const a = root.args || {};
        const q = a.question || a.prompt || a.message || a.text || "";
        if (q !== "")
            return String(q);
        return root.argsText !== "" ? root.argsText : JSON.stringify(a);
    }
    readonly property var choices: {
        const a = root.args || {};
        const c = a.options || a.choices || [];
        return Array.isArray(c) ? c.map(x => typeof x === "string" ? x : (x.label || JSON.stringify(x))) : [];
    }

    function submit(result, isError) {
        root.answered(result, isError);
        if (root.chat)
            root.chat.addToolResult(root.messageId, root.toolCallId, result, isError);
    }

    implicitHeight: column.implicitHeight + 2 * Theme.padding
    implicitWidth: 320
    radius: Theme.radius
    color: "transparent"
    border.color: Theme.accent

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: Theme.padding
        spacing: Theme.spacing
        Label {
            text: qsTr("%1 needs your answer").arg(root.toolName)
            font.bold: true
            color: Theme.text
            Layout.fillWidth: true
            elide: Text.ElideRight
        }
        Label {
            objectName: "humanToolQuestion"
            // Plain text: the question comes from the model.
            textFormat: Text.PlainText
            text: root.question
            wrapMode: Text.Wrap
            color: Theme.text
            Layout.fillWidth: true
        }
        Flow {
            Layout.fillWidth: true
            spacing: Theme.spacing / 2
            visible: root.choices.length > 0
            Repeater {
                model: root.choices
                delegate: Button {
                    required property string modelData
                    text: modelData
                    onClicked: root.submit(modelData, false)
                }
            }
        }
        TextField {
            id: answerField
            objectName: "humanToolAnswer"
            visible: root.choices.length === 0
            placeholderText: qsTr("Your answer")
            Layout.fillWidth: true
            onAccepted: if (text !== "") root.submit(text, false)
        }
        RowLayout {
            Layout.fillWidth: true
            Button {
                objectName: "humanToolSubmit"
                text: qsTr("Submit")
                visible: root.choices.length === 0
                enabled: answerField.text !== ""
                highlighted: true
                onClicked: root.submit(answerField.text, false)
            }
            Button {
                objectName: "humanToolDecline"
                text: qsTr("Decline")
                onClicked: root.submit(qsTr("The user declined to answer."), true)
            }
            Item { Layout.fillWidth: true }
        }
    }
}
