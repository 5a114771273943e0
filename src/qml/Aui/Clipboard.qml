// Puts text on the system clipboard from QML (QML has no clipboard API of its own: a hidden
// TextEdit holds the text, selects it and copies it).
import QtQuick

Item {
    visible: false
    width: 0
    height: 0

    /// Copies `text` to the clipboard.
    function copy(text) {
        buffer.text = text;
        buffer.selectAll();
        buffer.copy();
        buffer.text = "";
    }

    TextEdit {
        id: buffer
        visible: false
        textFormat: TextEdit.PlainText
    }
}
