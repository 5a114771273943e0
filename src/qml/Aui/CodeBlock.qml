// A code block of a message: monospace, plain text (never interpreted), scrolls sideways rather
// than wrapping, with a button that copies the code.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    id: root
    /// The code, as plain text.
    property string code: ""
    /// The language named after the fence ("cpp", "python"), shown above the code.
    property string language: ""
    /// Emitted after the code was copied to the clipboard.
    signal copied()

    implicitHeight: column.implicitHeight + 2 * Theme.padding / 2
    implicitWidth: 200
    radius: Theme.radius / 2
    color: Theme.codeBackground
    border.color: Theme.border

    Clipboard { id: clipboard }

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: Theme.padding / 2
        spacing: 2
        RowLayout {
            Layout.fillWidth: true
            Label {
                text: root.language
                color: Theme.mutedText
                Layout.fillWidth: true
            }
            ToolButton {
                objectName: "copyCodeButton"
                text: qsTr("Copy")
                Accessible.name: qsTr("Copy the code")
                onClicked: {
                    clipboard.copy(root.code);
                    root.copied();
                }
            }
        }
        Flickable {
            Layout.fillWidth: true
            Layout.preferredHeight: codeText.implicitHeight
            contentWidth: codeText.implicitWidth
            contentHeight: codeText.implicitHeight
            clip: true
            flickableDirection: Flickable.HorizontalFlick
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.horizontal: ScrollBar { policy: ScrollBar.AsNeeded }
            TextEdit {
                id: codeText
                text: root.code
                textFormat: TextEdit.PlainText
                readOnly: true
                selectByMouse: true
                color: Theme.text
                font.family: Theme.monoFamily
            }
        }
    }
}
