// "‹ 2/3 ›": moves between the alternatives (branches) of a message. Hidden when there is one.
// Alone it only emits previous()/next(); with `chat` and `messageId` set it switches the branch.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

RowLayout {
    id: root
    /// 1-based number of the branch shown, and how many there are.
    property int branchNumber: 1
    property int branchCount: 1
    /// Optional: the Chat and the message whose branches these are.
    property var chat: null
    property string messageId: ""
    /// False while a run is going on and the runtime does not allow switching then.
    property bool enabledWhileRunning: true

    signal previous()
    signal next()

    visible: branchCount > 1
    spacing: 0

    ToolButton {
        objectName: "previousBranchButton"
        text: "‹"
        enabled: root.branchNumber > 1 && root.enabledWhileRunning
        Accessible.name: qsTr("Previous version")
        ToolTip.visible: hovered
        ToolTip.text: qsTr("Previous version")
        onClicked: {
            root.previous();
            if (root.chat && root.messageId !== "")
                root.chat.switchBranch(root.messageId, -1);
        }
    }
    Label {
        objectName: "branchLabel"
        text: root.branchNumber + "/" + root.branchCount
        color: Theme.mutedText
    }
    ToolButton {
        objectName: "nextBranchButton"
        text: "›"
        enabled: root.branchNumber < root.branchCount && root.enabledWhileRunning
        Accessible.name: qsTr("Next version")
        ToolTip.visible: hovered
        ToolTip.text: qsTr("Next version")
        onClicked: {
            root.next();
            if (root.chat && root.messageId !== "")
                root.chat.switchBranch(root.messageId, 1);
        }
    }
}
