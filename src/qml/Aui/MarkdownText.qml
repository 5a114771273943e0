// Untrusted Markdown shown safely: prose through Text.MarkdownText after sanitizing (no HTML, no
// images loaded, no control characters), fenced code blocks as CodeBlock with a copy button.
// Links open only when clicked and only for http(s) URLs.
import QtQuick
import QtQuick.Controls
import "markdown.js" as Markdown

Column {
    id: root
    /// The Markdown source (a message's text; may be partial while it streams).
    property string markdown: ""
    /// The colour of the prose.
    property color textColor: Theme.text
    /// Emitted when a link was clicked; `opened` says whether it was opened (http(s) only).
    signal linkClicked(string url, bool opened)
    /// Whether clicked links are opened in the browser (tests switch it off).
    property bool openLinks: true

    spacing: Theme.spacing / 2

    // The segments are re-read on every streamed update, but the delegates are kept while their
    // number stays the same: the text of the last one changes in place.
    readonly property var segments: Markdown.segments(root.markdown)

    Repeater {
        model: root.segments.length
        delegate: Loader {
            required property int index
            readonly property var segment: root.segments[index] || { kind: "prose", text: "", language: "" }
            width: root.width
            sourceComponent: segment.kind === "code" ? codeComponent : proseComponent
        }
    }

    Component {
        id: proseComponent
        TextEdit {
            objectName: "prose"
            width: root.width
            text: parent ? parent.segment.text : ""
            textFormat: TextEdit.MarkdownText
            readOnly: true
            selectByMouse: true
            wrapMode: TextEdit.Wrap
            color: root.textColor
            selectedTextColor: Theme.window
            selectionColor: Theme.accent
            // The hand over a link; the text cursor elsewhere.
            HoverHandler {
                cursorShape: parent.hoveredLink !== "" ? Qt.PointingHandCursor : Qt.IBeamCursor
            }
            onLinkActivated: link => {
                const ok = Markdown.isOpenableLink(link);
                if (ok && root.openLinks)
                    Qt.openUrlExternally(link);
                root.linkClicked(link, ok);
            }
        }
    }
    Component {
        id: codeComponent
        CodeBlock {
            width: root.width
            code: parent ? parent.segment.text : ""
            language: parent ? parent.segment.language : ""
        }
    }
}
