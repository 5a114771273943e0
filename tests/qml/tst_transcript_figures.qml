// The transcript's figures on a long thread (offscreen, software rendering): opening a thread of
// 10,000 messages to the first frame that draws its last message (and which frame that was: the
// first, unless the view showed another place first), the number of Message delegates alive (bounded: only the
// ones in view and the cache buffer), frame time while a reply streams into a 1,000-message
// thread, and memory per message. Printed as "figure:" lines (docs/performance.md); the asserts
// are loose bounds that catch a regression to "a delegate per message", not timings to the ms.
import QtQuick
import QtQuick.Controls
import QtTest
import Aui

Item {
    id: top
    width: 900
    height: 700

    Chat { id: chat }
    Thread {
        id: thread
        anchors.fill: parent
        chat: chat
    }

    TestCase {
        name: "TranscriptFigures"
        when: windowShown

        function messageDelegates() {
            const kids = thread.view.contentItem.children;
            let n = 0;
            for (let i = 0; i < kids.length; ++i) {
                if (kids[i].messageId !== undefined)
                    ++n;
            }
            return n;
        }

        // Whether the last message is on screen: its delegate exists, is laid out, and overlaps
        // the viewport with the view at the end. Read in frameSwapped, this is what that frame drew
        // (polish, sync and render ran before the swap, with no QML in between).
        function lastMessageShown() {
            const view = thread.view;
            if (view.count === 0)
                return false;
            const item = view.itemAtIndex(view.count - 1);
            return item !== null && item.visible && item.height > 0 && view.atYEnd
                    && item.y < view.contentY + view.height && item.y + item.height > view.contentY;
        }

        function test_1_open_10000_messages() {
            const before = fixtures.residentKiB();
            const window = thread.Window.window;
            let t0 = 0;
            let modelAt = -1;    // ms from t0 to the model's first signal: the runtime's reset is done
            let settledAt = -1;  // the model and the view have taken the change in
            let frames = 0;      // frames swapped from t0 on
            let shownAt = -1;    // the first frame that drew the last message
            let shownFrame = 0;  // which frame that was (1: the first one after t0)
            let cpu0 = 0;
            let shownCpu = -1;   // CPU ms of the GUI thread from t0 to that frame
            const onModel = function () {
                if (modelAt < 0)
                    modelAt = Date.now() - t0;
            };
            const onFrame = function () {
                ++frames;
                if (shownAt < 0 && chat.messages.count === 10000 && lastMessageShown()) {
                    shownAt = Date.now() - t0;
                    shownCpu = fixtures.threadCpuMs() - cpu0;
                    shownFrame = frames;
                }
            };
            chat.messages.rowsAboutToBeRemoved.connect(onModel);
            chat.messages.rowsAboutToBeInserted.connect(onModel);
            window.frameSwapped.connect(onFrame);
            cpu0 = fixtures.threadCpuMs();
            t0 = Date.now();
            const made = fixtures.fill(chat, 10000);  // makes the messages, then resets the thread
            settledAt = Date.now() - t0;
            tryVerify(() => shownAt >= 0, 5000, "the last message is drawn");
            window.frameSwapped.disconnect(onFrame);
            chat.messages.rowsAboutToBeRemoved.disconnect(onModel);
            chat.messages.rowsAboutToBeInserted.disconnect(onModel);
            const ms = shownAt;
            compare(chat.messages.count, 10000);
            const alive = messageDelegates();
            const kib = fixtures.residentKiB() - before;
            console.log("figure: open 10000 messages to the first frame that draws the last message: " + ms
                        + " ms (making the messages " + Math.round(made) + " ms, the runtime's reset "
                        + Math.round(modelAt - made) + " ms, the model and the view's move to the end "
                        + (settledAt - modelAt) + " ms, then the frame (the last screen's delegates made, laid out and drawn) "
                        + (shownAt - settledAt) + " ms; frame " + shownFrame + " after the reset; CPU time of the GUI thread "
                        + Math.round(shownCpu) + " ms); Message delegates alive: "
                        + alive + "; resident memory +" + Math.round(kib) + " KiB ("
                        + (kib * 1024 / 10000).toFixed(0) + " bytes per message, runtime and model included)");
            verify(alive < 80, "delegates are bounded: " + alive);
            verify(ms < 5000, "opened in " + ms + " ms");
            verify(thread.view.atYEnd, "the end of the thread is shown");
        }

        function test_2_frame_time_while_streaming() {
            fixtures.fill(chat, 1000);
            waitForRendering(thread.view);
            let frames = 0;
            const window = thread.Window.window;
            const counter = function () { ++frames; };
            window.frameSwapped.connect(counter);
            const t0 = Date.now();
            chat.send("tell me a long story");
            tryVerify(() => chat.messages.count === 1002 && chat.running, 5000);
            tryVerify(() => !chat.runInProgress, 20000);
            const ms = Date.now() - t0;
            window.frameSwapped.disconnect(counter);
            const alive = messageDelegates();
            console.log("figure: a reply streamed into a 1000-message thread: " + frames + " frames in " + ms
                        + " ms (" + (ms / Math.max(frames, 1)).toFixed(1) + " ms per frame, wall clock incl. idle); "
                        + "Message delegates alive: " + alive);
            verify(frames > 0);
            verify(alive < 80, "delegates are bounded: " + alive);
        }

        // The other way a long thread opens: switching back to it from another thread (the
        // model is reset to the thread's branch; the runtime keeps the thread's messages). The
        // user had scrolled up in it: a thread opened is shown from its end all the same.
        function test_3_switch_to_10000_messages() {
            fixtures.fill(chat, 10000);
            tryVerify(() => lastMessageShown(), 5000);
            mouseWheel(thread.view, thread.view.width / 2, thread.view.height / 2, 0, 600);
            tryVerify(() => !thread.following && !thread.view.moving, 3000);
            const longId = chat.threadId;
            chat.newThread();
            tryVerify(() => chat.threadId !== longId && chat.messages.count === 0, 5000);
            waitForRendering(thread.view);
            const window = thread.Window.window;
            let t0 = 0;
            let frames = 0;
            let shownAt = -1;
            let shownFrame = 0;
            let cpu0 = 0;
            let shownCpu = -1;
            const onFrame = function () {
                ++frames;
                if (shownAt < 0 && chat.messages.count === 10000 && lastMessageShown()) {
                    shownAt = Date.now() - t0;
                    shownCpu = fixtures.threadCpuMs() - cpu0;
                    shownFrame = frames;
                }
            };
            window.frameSwapped.connect(onFrame);
            cpu0 = fixtures.threadCpuMs();
            t0 = Date.now();
            chat.switchToThread(longId);
            const switched = Date.now() - t0;
            tryVerify(() => shownAt >= 0, 5000, "the last message is drawn");
            window.frameSwapped.disconnect(onFrame);
            compare(chat.threadId, longId);
            const alive = messageDelegates();
            console.log("figure: switch to a 10000-message thread to the first frame that draws the last message: "
                        + shownAt + " ms (the switch, the model's reset and the view's move to the end "
                        + switched + " ms; frame " + shownFrame + " after the switch; CPU time of the GUI thread "
                        + Math.round(shownCpu) + " ms); Message delegates alive: " + alive);
            verify(alive < 80, "delegates are bounded: " + alive);
            verify(thread.view.atYEnd, "the end of the thread is shown");
            verify(thread.following, "and followed");
        }
    }
}
