// The end-to-end script aui-desktop runs under Xvfb (AUI_DESKTOP_TEST_SCRIPT): it types a
// message into the composer and presses Enter (real key events), waits for the streamed reply,
// clicks Regenerate, waits for the second reply, clicks ‹ to go back to the first branch, sends
// a second message (a tool call of the demo), saves a screenshot (AUI_DESKTOP_SCREENSHOT) and
// quits with 0 — or with 1 and the step it was stuck
// at when a step takes longer than a minute.
import QtQuick

Item {
    id: script
    required property var hook
    required property var window
    required property var chat

    property int step: 0
    property int ticks: 0
    property string firstReply: ""
    property int settled: 0
    readonly property var steps: ["the chat is ready", "the reply has streamed",
        "the regenerated reply has streamed", "the first branch is shown again",
        "the second turn and the screenshot"]

    function find(item, name) {
        if (!item)
            return null;
        if (item.objectName === name && item.visible)
            return item;
        const kids = item.children || [];
        for (let i = 0; i < kids.length; ++i) {
            const found = find(kids[i], name);
            if (found)
                return found;
        }
        return null;
    }
    function message(row) { return chat.messages.get(row); }
    function replyDelegate() {
        const view = find(window.contentItem, "transcript");
        view.positionViewAtIndex(1, 2 /* ListView.Contain */);
        return view.itemAtIndex(1);
    }
    function next() {
        hook.log("done: " + steps[step]);
        step += 1;
        ticks = 0;
    }

    Connections {
        target: script.chat
        function onErrorOccurred(message) { script.hook.log("the chat reported: " + message); }
    }

    Timer {
        interval: 100
        repeat: true
        running: true
        onTriggered: {
            script.ticks += 1;
            if (script.ticks > 600) {
                script.hook.log("FAILED: waited a minute for " + script.steps[script.step]);
                script.hook.screenshot(script.hook.env("AUI_DESKTOP_SCREENSHOT"));
                script.hook.quit(1);
                return;
            }
            script.advance();
        }
    }

    function advance() {
        switch (step) {
        case 0: {
            const input = find(window.contentItem, "composerInput");
            if (!chat.ready || !input)
                return;
            hook.click(input);
            hook.typeText("Hello from the desktop test");
            hook.key(Qt.Key_Return);
            next();
            break;
        }
        case 1:
            if (chat.messages.count === 2 && message(1).status === "complete" && !chat.runInProgress) {
                if (message(0).text !== "Hello from the desktop test") {
                    hook.log("FAILED: the user message reads \"" + message(0).text + "\"");
                    hook.quit(1);
                    return;
                }
                firstReply = message(1).text;
                const delegate = replyDelegate();
                const regenerate = delegate ? find(delegate, "regenerateButton") : null;
                if (!regenerate)
                    return;
                hook.click(regenerate);
                next();
            }
            break;
        case 2:
            if (message(1).branchCount === 2 && message(1).status === "complete" && !chat.runInProgress) {
                // The picker has just appeared: a few frames for the row to be laid out.
                settled += 1;
                if (settled < 3)
                    return;
                const delegate = replyDelegate();
                const previous = delegate ? find(delegate, "previousBranchButton") : null;
                if (!previous || !previous.enabled)
                    return;
                hook.click(previous);
                next();
            }
            break;
        case 3:
            if (message(1).branchNumber === 1 && message(1).text === firstReply) {
                // A second turn with a tool call (the demo's calculator), for the screenshot.
                hook.click(find(window.contentItem, "composerInput"));
                hook.typeText("what is 12*(3+4)?");
                hook.key(Qt.Key_Return);
                next();
            }
            break;
        case 4:
            if (chat.messages.count < 4 || chat.runInProgress || ticks < 5)
                return;
            if (message(1).branchNumber !== 1) {
                hook.log("FAILED: the first reply's branch changed to " + message(1).branchNumber);
                hook.quit(1);
                return;
            }
            if (!hook.screenshot(hook.env("AUI_DESKTOP_SCREENSHOT"))) {
                hook.log("FAILED: the screenshot could not be written");
                hook.quit(1);
                return;
            }
            next();
            hook.quit(0);
            break;
        }
    }
}
