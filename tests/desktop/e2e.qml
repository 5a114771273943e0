// The end-to-end script aui-desktop runs under Xvfb (AUI_DESKTOP_TEST_SCRIPT): it types a
// message into the composer and presses Enter (real key events), waits for the streamed reply,
// clicks Regenerate, waits for the second reply, clicks ‹ to go back to the first branch, sends
// a second message (a tool call of the demo), saves a screenshot (AUI_DESKTOP_SCREENSHOT), rates
// the reply with thumbs up and finds it in the feedback file (AUI_DESKTOP_FEEDBACK_FILE), clicks
// the first follow-up suggestion shown under the reply and waits for its answer, then quits with
// 0 — or with 1 and the step it was stuck at when a step takes longer than a minute.
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
    property string suggestion: ""
    readonly property var steps: ["the chat is ready", "the reply has streamed",
        "the regenerated reply has streamed", "the first branch is shown again",
        "the second turn and the screenshot", "thumbs up clicked", "the feedback is recorded",
        "a suggestion was clicked", "a suggestion was sent and answered"]

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
    function delegateAt(row) {
        const view = find(window.contentItem, "transcript");
        view.positionViewAtIndex(row, 2 /* ListView.Contain */);
        return view.itemAtIndex(row);
    }
    function replyDelegate() { return delegateAt(1); }
    function fail(why) {
        hook.log("FAILED: " + why);
        hook.quit(1);
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
            break;
        case 5: {
            // Thumbs up on the last reply.
            const delegate = delegateAt(3);
            const up = delegate ? find(delegate, "thumbsUpButton") : null;
            if (!up)
                return;
            hook.click(up);
            next();
            break;
        }
        case 6: {
            if (message(3).feedback !== "positive")
                return;
            const lines = hook.readFile(hook.env("AUI_DESKTOP_FEEDBACK_FILE")).split("\n")
                .filter(line => line !== "");
            if (lines.length === 0)
                return;
            const record = JSON.parse(lines[lines.length - 1]);
            if (record.messageId !== message(3).messageId || record.type !== "positive")
                return fail("the feedback file has " + lines[lines.length - 1]);
            next();
            break;
        }
        case 7: {
            // The demo's follow-up questions show under the reply; the first one is clicked.
            const chip = find(window.contentItem, "suggestion0");
            if (!chip || !find(window.contentItem, "followUps"))
                return;
            suggestion = chip.prompt;
            if (suggestion === "")
                return fail("the first suggestion has no prompt");
            hook.log("suggestion: " + suggestion);
            hook.click(chip);
            next();
            break;
        }
        case 8:
            if (chat.messages.count < 6 || chat.runInProgress || message(5).status !== "complete")
                return;
            if (message(4).role !== "user" || message(4).text !== suggestion)
                return fail("the message sent reads \"" + message(4).text + "\"");
            next();
            hook.quit(0);
            break;
        }
    }
}
