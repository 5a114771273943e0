// Dictation from the Composer with aui-desktop's own wiring (--dictation-wav): eSpeak NG says a
// sentence into a WAV file at test time, the chat gets PocketSphinx dictation from that file, and
// a click on the microphone button fills the text field — interim words while it listens, the
// final transcript when the file ends. Skipped when the build has no dictation or speech.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtTest
import Aui

Item {
    id: top
    width: 800
    height: 300

    Chat { id: chat }

    Composer {
        id: composer
        chat: chat
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
    }

    // What the field and the label showed while the dictation was open.
    property var fieldTexts: []
    property var interims: []
    Connections {
        target: composer.input
        function onTextChanged() {
            if (chat.composer.dictating)
                top.fieldTexts.push(composer.input.text);
        }
    }
    Connections {
        id: labelWatch
        target: null  // the Composer's interim label, set by the test
        function onTextChanged() {
            if (labelWatch.target.text !== "")
                top.interims.push(labelWatch.target.text);
        }
    }
    function findLabel() { return dictationCase.findChild(composer, "dictationTranscript"); }

    TestCase {
        id: dictationCase
        name: "Dictation"
        when: windowShown

        // The sentence tests/dictation found PocketSphinx hears well from this voice.
        readonly property var said: ["what", "is", "the", "weather", "like", "today"]

        function heard(text) {
            const words = text.toLowerCase().split(/\s+/);
            return said.filter(w => words.indexOf(w) >= 0).length / said.length;
        }

        function test_1_no_adapter_no_microphone_button() {
            // The demo chat's dictation depends on the machine (a recorder and the model); the
            // button follows whatever the chat has.
            const button = findChild(composer, "dictateButton");
            compare(button.visible, chat.capabilities.dictation === true);
        }

        function test_2_dictation_fills_the_field() {
            if (!fixtures.canDictate())
                skip("this build has no dictation or no speech to dictate from");
            const wav = fixtures.speakToWav(said.join(" "));
            verify(wav !== "");
            fixtures.useDictationWav(chat, wav);
            tryVerify(() => chat.ready && chat.capabilities.dictation === true, 5000);
            const button = findChild(composer, "dictateButton");
            verify(button.visible, "the microphone button shows");

            composer.input.forceActiveFocus();
            composer.input.text = "Note:";
            top.fieldTexts = [];
            top.interims = [];
            labelWatch.target = findLabel();
            verify(labelWatch.target !== null);
            mouseClick(button);
            tryVerify(() => chat.composer.dictating, 5000, "dictation starts");
            compare(button.text, "Stop dictation");
            // The file ends by itself: the session closes with the final transcript.
            tryVerify(() => !chat.composer.dictating, 60000, "dictation ends at the file's end");
            compare(chat.lastError, "", "no error");
            const text = composer.input.text;
            console.log("dictation: interim " + JSON.stringify(top.interims) + "; final " + JSON.stringify(text));
            verify(text.startsWith("Note: "), text);
            verify(heard(text.substring(6)) >= 0.6, "heard: " + text);
            compare(chat.composer.text, text, "the field shows the composer's text");
            // Interim words showed in the field and beside it while it listened.
            verify(top.fieldTexts.some(t => t.length > "Note:".length), JSON.stringify(top.fieldTexts));
            verify(top.interims.length > 0, "the interim transcript was shown");
            compare(findLabel().visible, false, "the interim label is gone");
            compare(button.text, "Dictate");
        }
    }
}
