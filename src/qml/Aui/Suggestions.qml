// Prompts the user can send with one click (the chat's suggestions, or any list of
// {prompt, title, label} / strings). With `chat` set a click sends the prompt.
import QtQuick
import QtQuick.Controls

Flow {
    id: root
    property var chat: null
    /// The suggestions; by default the chat's.
    property var suggestions: chat ? chat.suggestions : []

    signal chosen(string prompt)

    spacing: Theme.spacing / 2
    visible: suggestions && suggestions.length > 0

    Repeater {
        model: root.suggestions
        delegate: Button {
            required property var modelData
            required property int index
            objectName: "suggestion" + index
            readonly property string prompt: typeof modelData === "string" ? modelData : (modelData.prompt || "")
            // Plain text: suggestions may come from the model.
            contentItem: Label {
                textFormat: Text.PlainText
                text: typeof modelData === "string" ? modelData : (modelData.title || modelData.label || modelData.prompt || "")
                elide: Text.ElideRight
            }
            onClicked: {
                root.chosen(prompt);
                if (root.chat)
                    root.chat.sendSuggestion(prompt);
            }
        }
    }
}
