// aui-desktop's own pieces over a real Chat made by its factory: thumbs up/down recorded in the
// feedback file (its JSON-lines feedback adapter), and the settings dialog — opened, the
// provider, server and model changed, applied — after which the next request goes to the new
// server with the new model (an OpenAI-compatible server on the loopback, fixtures).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtTest
import Aui
import "../../apps/aui-desktop/qml"

Item {
    id: top
    width: 900
    height: 700

    Chat { id: chat }

    ColumnLayout {
        anchors.fill: parent
        Thread {
            id: thread
            chat: chat
            approvalDialogEnabled: false
            Layout.fillWidth: true
            Layout.fillHeight: true
        }
        Composer {
            id: composer
            chat: chat
            Layout.fillWidth: true
        }
    }

    SettingsDialog {
        id: settings
        chat: chat
    }

    TestCase {
        name: "Desktop"
        when: windowShown

        function message(row) { return chat.messages.get(row); }
        function delegateAt(row) {
            thread.view.positionViewAtIndex(row, ListView.Contain);
            return thread.view.itemAtIndex(row);
        }
        function waitIdle() {
            tryVerify(() => !chat.running && !chat.runInProgress, 10000, "the reply ends");
        }
        function sendTyped(text) {
            composer.input.forceActiveFocus();
            composer.input.text = text;
            composer.input.cursorPosition = composer.input.length;
            keyClick(Qt.Key_Return);
        }
        function typeInto(field, text) {
            mouseClick(field);
            field.selectAll();
            keyClick(Qt.Key_Delete);
            for (const c of text)
                keyClick(c);
        }
        // The feedback file's records, parsed.
        function records() {
            return fixtures.readFile(fixtures.feedbackFile()).split("\n")
                .filter(line => line !== "").map(line => JSON.parse(line));
        }

        function init() {
            chat.newThread();
            tryVerify(() => chat.messages.count === 0);
        }

        function test_1_thumbs_are_recorded() {
            verify(chat.capabilities.feedback, "aui-desktop's factory has a feedback adapter");
            sendTyped("hello");
            tryVerify(() => chat.messages.count === 2, 5000);
            waitIdle();
            const id = message(1).messageId;
            const up = findChild(delegateAt(1), "thumbsUpButton");
            verify(up.visible);
            mouseClick(up);
            tryCompare(message(1), "feedback", "positive");
            tryVerify(() => records().length === 1, 5000);
            compare(records()[0].messageId, id);
            compare(records()[0].type, "positive");
            compare(records()[0].text, message(1).text);
            tryVerify(() => findChild(delegateAt(1), "thumbsUpButton").highlighted, 3000,
                      "the button shows the choice");
            // Changing one's mind is recorded too.
            mouseClick(findChild(delegateAt(1), "thumbsDownButton"));
            tryVerify(() => message(1).feedback === "negative", 5000);
            tryVerify(() => records().length === 2, 5000);
            compare(records()[1].type, "negative");
            compare(records()[1].messageId, id);
        }

        function test_2_settings_change_the_model_of_the_next_request() {
            const server = fixtures.startModelServer();
            settings.open();
            tryVerify(() => settings.opened, 5000, "the dialog opens");
            const provider = findChild(settings.contentItem, "providerBox");
            const baseUrl = findChild(settings.contentItem, "baseUrlField");
            const model = findChild(settings.contentItem, "modelField");
            compare(provider.currentText, "Offline demo", "it shows the settings in force");
            compare(model.text, "");
            // The user picks OpenAI-compatible, types the server and a model, and presses OK.
            provider.currentIndex = provider.find("OpenAI-compatible");
            typeInto(baseUrl, server);
            typeInto(model, "test-model-2");
            compare(model.text, "test-model-2");
            mouseClick(settings.standardButton(Dialog.Ok));
            tryVerify(() => !settings.visible, 5000, "the dialog closes");
            compare(desktop.provider, "openai");
            compare(desktop.model, "test-model-2");
            compare(desktop.baseUrl, server);
            verify(desktop.banner.indexOf("test-model-2") >= 0, desktop.banner);
            // The terminal's wording (its name, its /help) stays in aui-chat.
            verify(desktop.banner.startsWith("OpenAI-compatible backend at 127.0.0.1"), desktop.banner);
            verify(desktop.banner.indexOf("/help") < 0, desktop.banner);
            tryVerify(() => chat.ready);

            // The next request goes to that server, naming that model.
            chat.newThread();
            tryVerify(() => chat.messages.count === 0);
            sendTyped("who are you?");
            tryVerify(() => chat.messages.count === 2, 5000);
            waitIdle();
            compare(message(1).status, "complete", message(1).errorText);
            compare(message(1).text, "Hello from the test server.");
            const models = fixtures.serverModels();
            verify(models.length >= 1);
            compare(models[0], "test-model-2");

            // Opened again, the dialog shows what is in force.
            settings.open();
            tryVerify(() => settings.opened, 5000);
            compare(provider.currentText, "OpenAI-compatible");
            compare(model.text, "test-model-2");
            settings.reject();
            tryVerify(() => !settings.visible, 5000);
        }
    }
}
