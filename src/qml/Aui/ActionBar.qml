// The actions under a message: copy, edit (user messages), regenerate and speak (assistant
// replies), and feedback (thumbs up/down). Alone it emits a signal per action; with `chat` and
// `messageId` set it calls the Chat too. Buttons the chat cannot do (capabilities) are hidden.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

RowLayout {
    id: root
    /// Optional: the Chat and the message the actions act on.
    property var chat: null
    property string messageId: ""
    /// "user" or "assistant".
    property string role: "assistant"
    /// The message's text (copied when there is no chat).
    property string text: ""
    /// "" / "positive" / "negative".
    property string feedback: ""
    /// This message's speech: "" / "starting" / "running" / "ended".
    property string speech: ""
    /// Whether a reply is being written (regenerate and edit wait for it to end).
    property bool running: chat ? chat.running : false
    readonly property var caps: chat ? chat.capabilities : ({ edit: true, reload: true, speech: true, feedback: true, copy: true })

    signal copyRequested()
    signal editRequested()
    signal regenerateRequested()
    signal speakRequested()
    signal feedbackGiven(string type)

    spacing: 0
    Clipboard { id: clipboard }

    ToolButton {
        objectName: "copyButton"
        text: qsTr("Copy")
        visible: root.caps.copy !== false
        onClicked: {
            root.copyRequested();
            if (root.chat && root.messageId !== "")
                root.chat.copy(root.messageId);
            else
                clipboard.copy(root.text);
        }
    }
    ToolButton {
        objectName: "editButton"
        text: qsTr("Edit")
        visible: root.role === "user" && root.caps.edit !== false
        enabled: !root.running
        onClicked: {
            root.editRequested();
            if (root.chat && root.messageId !== "")
                root.chat.beginEdit(root.messageId);
        }
    }
    ToolButton {
        objectName: "regenerateButton"
        text: qsTr("Regenerate")
        visible: root.role === "assistant" && root.caps.reload !== false
        enabled: !root.running
        onClicked: {
            root.regenerateRequested();
            if (root.chat && root.messageId !== "")
                root.chat.regenerate(root.messageId);
        }
    }
    ToolButton {
        objectName: "speakButton"
        readonly property bool speaking: root.speech === "starting" || root.speech === "running"
        text: speaking ? qsTr("Stop") : qsTr("Speak")
        visible: root.role === "assistant" && root.caps.speech === true
        onClicked: {
            root.speakRequested();
            if (!root.chat || root.messageId === "")
                return;
            if (speaking)
                root.chat.stopSpeaking();
            else
                root.chat.speak(root.messageId);
        }
    }
    ToolButton {
        objectName: "thumbsUpButton"
        text: qsTr("Good")
        visible: root.role === "assistant" && root.caps.feedback === true
        checkable: false
        highlighted: root.feedback === "positive"
        Accessible.name: qsTr("Good answer")
        onClicked: {
            root.feedbackGiven("positive");
            if (root.chat && root.messageId !== "")
                root.chat.submitFeedback(root.messageId, "positive", "");
        }
    }
    ToolButton {
        objectName: "thumbsDownButton"
        text: qsTr("Bad")
        visible: root.role === "assistant" && root.caps.feedback === true
        highlighted: root.feedback === "negative"
        Accessible.name: qsTr("Bad answer")
        onClicked: {
            root.feedbackGiven("negative");
            if (root.chat && root.messageId !== "")
                root.chat.submitFeedback(root.messageId, "negative", "");
        }
    }
}
