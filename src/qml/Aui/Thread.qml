// The transcript of a Chat: its current branch as a ListView of Message, following the reply as
// it streams until the user scrolls up (scrolling back to the end follows again), with the chat's
// suggestions when the thread is empty and an ApprovalDialog for a tool call that waits for
// approval. Put it beside a Composer with the same `chat`.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    id: root
    required property var chat
    /// Whether the view follows the end of the thread (false once the user scrolled up).
    property bool following: true
    /// Whether a pending approval opens the dialog (else it is answered in the message only).
    property bool approvalDialogEnabled: true
    /// The ListView (tests and apps reach it to scroll).
    readonly property alias view: list

    function scrollToEnd() {
        root.following = true;
        list.followEnd();
    }

    ListView {
        id: list
        objectName: "transcript"
        anchors.fill: parent
        model: root.chat ? root.chat.messages : null
        spacing: Theme.spacing
        clip: true
        // Only the delegates in view (and the cache buffer) exist, however long the thread.
        // Not reused (reuseItems): in Qt 6.4 a reused Message's layouts crashed in the next polish
        // after an edit (QQuickLayout on a destroyed item; found by tst_chat's edit test).
        reuseItems: false
        cacheBuffer: 400
        // No current item: a ListView otherwise makes the delegate of row 0 its current item and
        // keeps it, whichever part of the thread is shown (one more Message for every thread).
        currentIndex: -1
        boundsBehavior: Flickable.StopAtBounds
        // Header and footer rather than margins: positionViewAtEnd takes a footer into account
        // but leaves a bottom margin out (atYEnd would then never be true after it).
        header: Item { height: Theme.padding }
        footer: Item { height: Theme.padding }
        ScrollBar.vertical: ScrollBar { id: scrollBar }

        delegate: Message {
            width: ListView.view.width
            chat: root.chat
            messageId: model.messageId
            role: model.role
            text: model.text
            status: model.status
            statusReason: model.statusReason
            errorText: model.errorText
            branchNumber: model.branchNumber
            branchCount: model.branchCount
            isLast: model.isLast
            feedback: model.feedback
            speech: model.speech
            attachments: model.attachments
            parts: model.parts
        }

        // The user scrolling (drag, flick, wheel, scroll bar) decides whether to follow: away
        // from the end stops following, back at the end follows again. Our own moves to the end
        // do not count; the content growing does not move contentY.
        property bool autoScrolling: false
        function followEnd() {
            // Not while the user moves the view (a wheel notch, a flick): the stream's next update
            // must not undo the move before it has told whether the user left the end.
            if (!root.following || moving)
                return;
            autoScrolling = true;
            positionViewAtEnd();
            autoScrolling = false;
        }
        // Only the user's moves count (drag, flick, the wheel — which Flickable reports as a
        // movement — and the scroll bar): the view's own adjustments of contentY while delegates
        // are laid out do not stop following.
        onContentYChanged: if (!autoScrolling && (moving || scrollBar.pressed)) root.following = atYEnd
        onMovementEnded: if (!autoScrolling) root.following = atYEnd
        onContentHeightChanged: Qt.callLater(followEnd)
        onCountChanged: Qt.callLater(followEnd)
        onHeightChanged: Qt.callLater(followEnd)

        // Opening a thread (a switch, or a reset to many messages). Left alone, the view lays out
        // the new rows from the first one — a screen and the cache buffer of delegates at the top
        // of the thread — draws them, and only then moves to the end and makes the delegates of
        // the last screen: twice the delegates, and frames of the wrong place. So while such a
        // change comes in, the view gets no room past its position (a negative end margin: the
        // change makes no delegate), and once the model has told it everything it is put at the
        // end, where it makes only the delegates it shows, before anything is drawn.
        property bool jumping: false
        // A change that brings in more rows than this jumps; a smaller one (a send, an edit, a
        // regenerate) keeps the delegates on screen and is followed as it streams.
        readonly property int jumpRows: 16
        property int marginBeforeJump: 0
        function beginJump() {
            if (!jumping)
                marginBeforeJump = displayMarginEnd;
            jumping = true;
            displayMarginEnd = -(height + cacheBuffer + 1);
        }
        function endJump() {
            forceLayout();  // takes the change in while there is no room: no delegate is made
            displayMarginEnd = marginBeforeJump;
            jumping = false;
            // At the end whatever the view was doing (a jump was decided on while following, or
            // for another thread): a flick of the old rows is cancelled.
            autoScrolling = true;
            positionViewAtEnd();
            autoScrolling = false;
        }
        Connections {
            target: list.model
            function onModelAboutToBeReset() {
                // Another thread: shown from its end, whatever was scrolled in the last one.
                root.following = true;
                list.beginJump();
            }
            function onRowsAboutToBeInserted(parent, first, last) {
                if (root.following && !list.moving && last - first + 1 > list.jumpRows)
                    list.beginJump();
            }
            function onRowsSettled() {
                if (list.jumping)
                    list.endJump();
            }
        }
    }

    // Back to the end when the user scrolled up.
    RoundButton {
        objectName: "scrollToEndButton"
        visible: !root.following && list.count > 0
        text: "↓"
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: Theme.padding * 2
        Accessible.name: qsTr("Scroll to the end")
        onClicked: root.scrollToEnd()
    }

    // An empty thread: a welcome and the suggestions.
    ColumnLayout {
        visible: root.chat && root.chat.isEmpty
        anchors.centerIn: parent
        width: Math.min(parent.width - 4 * Theme.padding, 600)
        spacing: Theme.spacing * 2
        Label {
            text: qsTr("How can I help?")
            font.pointSize: 20
            color: Theme.text
            Layout.alignment: Qt.AlignHCenter
        }
        Suggestions {
            chat: root.chat
            Layout.fillWidth: true
        }
    }

    ApprovalDialog {
        id: approvalDialog
        objectName: "approvalDialog"
        parent: Overlay.overlay
        chat: root.chat
    }
    Connections {
        target: root.chat
        function onPendingApprovalsChanged() { root.showNextApproval(); }
    }
    function showNextApproval() {
        const pending = root.chat ? root.chat.pendingApprovals : [];
        if (!root.approvalDialogEnabled || pending.length === 0) {
            approvalDialog.close();
            return;
        }
        approvalDialog.approval = pending[0];
        approvalDialog.open();
    }
}
