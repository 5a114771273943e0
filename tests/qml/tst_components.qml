// Each component alone, without a Chat: BranchPicker, ActionBar, Suggestions, ToolCallCard,
// HumanToolForm and ApprovalDialog show what they are given and emit what the user did.
import QtQuick
import QtQuick.Controls
import QtTest
import Aui

Item {
    id: top
    width: 700
    height: 900

    Column {
        spacing: 8
        width: 600
        BranchPicker { id: picker; branchNumber: 2; branchCount: 3 }
        ActionBar { id: actions; role: "assistant"; text: "copied words" }
        Suggestions { id: suggestions; width: 600; suggestions: ["What is aui?", { prompt: "p2", title: "Second" }] }
        ToolCallCard {
            id: card
            width: 600
            toolName: "deploy"
            argsText: "{\"service\":\"web\"}"
            approvalId: "a1"
            approvalState: "pending"
        }
        HumanToolForm {
            id: form
            width: 600
            toolName: "ask_user"
            args: ({ question: "Which colour?", options: ["red", "blue"] })
        }
        Message {
            id: message
            width: 600
            role: "assistant"
            text: "A *plain* message with `code`."
            branchNumber: 1
            branchCount: 2
        }
    }
    ApprovalDialog {
        id: dialog
        approval: ({ approvalId: "g1", toolName: "rm_rf", argsText: "{\"path\":\"/\"}" })
    }

    SignalSpy { id: previousSpy; target: picker; signalName: "previous" }
    SignalSpy { id: nextSpy; target: picker; signalName: "next" }
    SignalSpy { id: regenSpy; target: actions; signalName: "regenerateRequested" }
    SignalSpy { id: feedbackSpy; target: actions; signalName: "feedbackGiven" }
    SignalSpy { id: chosenSpy; target: suggestions; signalName: "chosen" }
    SignalSpy { id: allowSpy; target: card; signalName: "allowed" }
    SignalSpy { id: answerSpy; target: form; signalName: "answered" }
    SignalSpy { id: alwaysSpy; target: dialog; signalName: "allowedAlways" }

    TestCase {
        name: "Components"
        when: windowShown

        function test_branch_picker() {
            const label = findChild(picker, "branchLabel");
            compare(label.text, "2/3");
            waitForRendering(picker);
            verify(fixtures.ink(label) > 10);
            mouseClick(findChild(picker, "previousBranchButton"));
            mouseClick(findChild(picker, "nextBranchButton"));
            compare(previousSpy.count, 1);
            compare(nextSpy.count, 1);
            picker.branchCount = 1;
            verify(!picker.visible, "one branch: nothing to pick");
            picker.branchCount = 3;
        }
        function test_action_bar() {
            verify(!findChild(actions, "editButton").visible, "replies are not edited");
            mouseClick(findChild(actions, "regenerateButton"));
            compare(regenSpy.count, 1);
            actions.role = "user";
            verify(findChild(actions, "editButton").visible);
            verify(!findChild(actions, "regenerateButton").visible);
            actions.role = "assistant";
        }
        function test_suggestions() {
            waitForRendering(suggestions);
            verify(fixtures.ink(suggestions) > 50);
            mouseClick(findChild(suggestions, "suggestion0"));
            compare(chosenSpy.count, 1);
            compare(chosenSpy.signalArguments[0][0], "What is aui?");
        }
        function test_tool_call_card() {
            compare(findChild(card, "toolCallState").text, "waiting for your approval");
            const title = findChild(card, "toolCallTitle");
            waitForRendering(card);
            verify(fixtures.ink(title) > 20);
            mouseClick(findChild(card, "allowAlwaysButton"));
            compare(allowSpy.count, 1);
            compare(allowSpy.signalArguments[0][0], true);
            card.approvalState = "approved";
            card.hasResult = true;
            card.resultText = "{\"ok\":true}";
            compare(findChild(card, "toolCallState").text, "done");
        }
        function test_human_tool_form_choices() {
            compare(findChild(form, "humanToolQuestion").text, "Which colour?");
            verify(!findChild(form, "humanToolAnswer").visible, "choices instead of a field");
            waitForRendering(form);
            const q = findChild(form, "humanToolQuestion");
            verify(fixtures.ink(q) > 20);
            mouseClick(findChild(form, "humanToolDecline"));
            compare(answerSpy.count, 1);
            compare(answerSpy.signalArguments[0][1], true);
        }
        function test_message_alone() {
            waitForRendering(message);
            verify(fixtures.ink(message) > 200);
            compare(findChild(message, "branchLabel").text, "1/2");
        }
        function test_approval_dialog_alone() {
            dialog.open();
            tryVerify(() => dialog.opened);
            const q = findChild(dialog.contentItem, "approvalQuestion");
            verify(q.text.indexOf("rm_rf") >= 0);
            waitForRendering(dialog.contentItem);
            verify(fixtures.ink(q) > 20);
            mouseClick(findChild(dialog.footer, "dialogAllowAlways"));
            compare(alwaysSpy.count, 1);
            compare(alwaysSpy.signalArguments[0][0], "g1");
            tryVerify(() => !dialog.visible);
        }
    }
}
