// The backend: provider, server (base URL) and model. The API key is never typed here: it comes
// from the environment (the dialog says which variable). Applying keeps the threads.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Aui

Dialog {
    id: root
    property var chat: null

    title: qsTr("Settings")
    modal: true
    anchors.centerIn: parent
    width: Math.min(560, parent ? parent.width - 40 : 560)
    standardButtons: Dialog.Ok | Dialog.Cancel

    readonly property var providers: ["", "openai", "anthropic", "demo"]
    readonly property var providerNames: [qsTr("Chosen by the environment"), qsTr("OpenAI-compatible"), qsTr("Anthropic"), qsTr("Offline demo")]

    onAboutToShow: {
        provider.currentIndex = Math.max(0, providers.indexOf(desktop.provider));
        baseUrl.text = desktop.baseUrl;
        model.text = desktop.model;
        problem.text = "";
    }
    onAccepted: {
        const why = desktop.apply(root.chat, providers[provider.currentIndex], baseUrl.text, model.text);
        if (why !== "") {
            problem.text = why;
            root.open();
        }
    }

    contentItem: GridLayout {
        columns: 2
        columnSpacing: Theme.spacing
        rowSpacing: Theme.spacing
        Label { text: qsTr("Provider") }
        ComboBox {
            id: provider
            objectName: "providerBox"
            model: root.providerNames
            Layout.fillWidth: true
        }
        Label { text: qsTr("Server") }
        TextField {
            id: baseUrl
            objectName: "baseUrlField"
            placeholderText: qsTr("the provider's own, or e.g. http://localhost:8080/v1")
            Layout.fillWidth: true
        }
        Label { text: qsTr("Model") }
        TextField {
            id: model
            objectName: "modelField"
            placeholderText: qsTr("the provider's default")
            Layout.fillWidth: true
        }
        Label {
            text: desktop.apiKeySource
            wrapMode: Text.Wrap
            color: Theme.mutedText
            Layout.columnSpan: 2
            Layout.fillWidth: true
        }
        Label {
            text: desktop.storeLine
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            color: Theme.mutedText
            Layout.columnSpan: 2
            Layout.fillWidth: true
        }
        Label {
            id: problem
            visible: text !== ""
            textFormat: Text.PlainText
            wrapMode: Text.Wrap
            color: Theme.error
            Layout.columnSpan: 2
            Layout.fillWidth: true
        }
    }
}
