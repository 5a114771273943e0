// The chat's keyboard shortcuts, for a window that shows a Chat: Ctrl+N (the platform's New)
// starts a new chat and puts the cursor in the composer, Ctrl+F (Find) goes to the thread search,
// Esc closes the open edit, else stops the reply being written.
import QtQuick

Item {
    id: root
    width: 0
    height: 0
    required property var chat
    /// Where Ctrl+N puts the cursor, and the field Ctrl+F focuses (both optional).
    property Item composerInput: null
    property Item searchField: null

    Shortcut {
        sequences: [StandardKey.New]
        onActivated: {
            root.chat.newThread();
            if (root.composerInput)
                root.composerInput.forceActiveFocus();
        }
    }
    Shortcut {
        sequences: [StandardKey.Find]
        enabled: root.searchField !== null
        onActivated: {
            root.searchField.forceActiveFocus();
            root.searchField.selectAll();
        }
    }
    Shortcut {
        sequence: "Esc"
        onActivated: {
            if (root.chat.editComposer)
                root.chat.cancelEdit();
            else if (root.chat.canCancel)
                root.chat.cancel();
        }
    }
}
