// The sanitizer of untrusted Markdown and MarkdownText/CodeBlock: no HTML, no images loaded,
// no control characters, code blocks apart with a copy button, links opened only for http(s).
import QtQuick
import QtTest
import Aui
import "../../src/qml/Aui/markdown.js" as Markdown

Item {
    id: top
    width: 600
    height: 400

    MarkdownText {
        id: md
        width: 500
        openLinks: false
    }
    SignalSpy { id: linkSpy; target: md; signalName: "linkClicked" }

    TestCase {
        name: "Markdown"
        when: windowShown

        function test_html_is_escaped() {
            const s = Markdown.segments("hi <img src=\"http://evil/x.png\"> & <b>bold</b>");
            compare(s.length, 1);
            compare(s[0].kind, "prose");
            verify(s[0].text.indexOf("<") < 0, s[0].text);
            verify(s[0].text.indexOf("&lt;img") >= 0);
        }
        function test_images_become_links() {
            const s = Markdown.segments("see ![cat](http://example.com/cat.png) here");
            compare(s[0].text, "see [cat](http://example.com/cat.png) here");
        }
        function test_inline_code_is_left_alone() {
            const s = Markdown.segments("use `a<b && c` now <x>");
            compare(s[0].text, "use `a<b && c` now &lt;x>");
        }
        function test_controls_and_bidi_are_dropped() {
            const s = Markdown.segments("a\u001b[31mb\u202ec");
            compare(s[0].text, "a[31mbc");
        }
        function test_code_blocks_are_apart() {
            const s = Markdown.segments("before\n```cpp\nint a = 1 < 2;\n```\nafter");
            compare(s.length, 3);
            compare(s[1].kind, "code");
            compare(s[1].language, "cpp");
            compare(s[1].text, "int a = 1 < 2;");
            compare(s[2].text, "after");
        }
        function test_unterminated_fence_is_code_while_streaming() {
            const s = Markdown.segments("x\n~~~\nstill coming");
            compare(s.length, 2);
            compare(s[1].kind, "code");
            compare(s[1].text, "still coming");
        }
        function test_only_http_links_open() {
            verify(Markdown.isOpenableLink("https://example.com/a?b=c"));
            verify(Markdown.isOpenableLink("HTTP://example.com"));
            verify(!Markdown.isOpenableLink("javascript:alert(1)"));
            verify(!Markdown.isOpenableLink("file:///etc/passwd"));
            verify(!Markdown.isOpenableLink("data:text/html,hi"));
        }
        function test_renders_prose_and_code_with_copy_button() {
            md.markdown = "Hello **world**\n\n```sh\necho hi\n```\n";
            waitForRendering(md);
            tryVerify(() => findChild(md, "copyCodeButton") !== null);
            verify(fixtures.ink(md) > 50, "the text is drawn");
        }
        function test_link_click_is_reported_and_checked() {
            md.markdown = "[bad](javascript:alert(1)) and [good](https://example.com)";
            waitForRendering(md);
            const edit = findChild(md, "prose");
            verify(edit !== null);
            linkSpy.clear();
            edit.linkActivated("javascript:alert(1)");
            compare(linkSpy.count, 1);
            compare(linkSpy.signalArguments[0][1], false);
            edit.linkActivated("https://example.com");
            compare(linkSpy.signalArguments[1][1], true);
        }
    }
}
