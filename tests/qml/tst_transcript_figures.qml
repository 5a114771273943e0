// The transcript's figures on a long thread (offscreen, software rendering): opening a thread of
// 10,000 messages to its first frame, the number of Message delegates alive (bounded: only the
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

        function test_1_open_10000_messages() {
            const before = fixtures.residentKiB();
            const t0 = Date.now();
            fixtures.fill(chat, 10000);
            const filled = Date.now() - t0;  // the runtime's reset to 10,000 messages
            waitForRendering(thread.view);
            const ms = Date.now() - t0;
            compare(chat.messages.count, 10000);
            const alive = messageDelegates();
            const kib = fixtures.residentKiB() - before;
            console.log("figure: open 10000 messages to the first frame: " + ms + " ms (of which the runtime's reset "
                        + filled + " ms); Message delegates alive: "
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
    }
}
