// Untrusted Markdown (from models, tools, files) made safe for Text.MarkdownText, and split into
// prose and fenced code blocks (each code block is shown apart, with a copy button).
// What it guarantees: no raw HTML reaches the renderer (so no <img>, no <a> the model wrote as
// HTML), no image is loaded (an image becomes a link to click), and control characters and bidi
// overrides are dropped. Links are opened by the components only on click and only for http(s).
.pragma library

// C0 controls but tab and newline, DEL, C1 controls, and the bidi embeddings/overrides/isolates.
const unsafeChars = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function stripControls(text) {
    return String(text === undefined || text === null ? "" : text).replace(unsafeChars, "");
}

// Escapes "<" and "&" outside inline code spans (in a code span they are literal text already),
// so that the Markdown parser sees no HTML, and turns images "![alt](url)" into links "[alt](url)".
function sanitizeProse(text) {
    const pieces = stripControls(text).split(/(`+[^`]*`+)/);
    for (let i = 0; i < pieces.length; ++i) {
        if (pieces[i].startsWith("`"))
            continue;
        pieces[i] = pieces[i].replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/!\[/g, "[");
    }
    return pieces.join("");
}

// [{kind: "prose", text}, {kind: "code", language, text}] in order. An unterminated fence (a code
// block still streaming) is a code block up to the end.
function segments(text) {
    const lines = stripControls(text).split("\n");
    const out = [];
    let prose = [];
    let code = null;
    let fence = "";
    function flushProse() {
        if (prose.length > 0 && prose.join("").trim() !== "")
            out.push({ kind: "prose", text: sanitizeProse(prose.join("\n")), language: "" });
        prose = [];
    }
    for (const line of lines) {
        if (code === null) {
            const open = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)/.exec(line);
            if (open) {
                flushProse();
                fence = open[1];
                code = { kind: "code", language: open[2], lines: [] };
            } else {
                prose.push(line);
            }
        } else {
            const close = new RegExp("^ {0,3}" + fence[0] + "{" + fence.length + ",}\\s*$");
            if (close.test(line)) {
                out.push({ kind: "code", language: code.language, text: code.lines.join("\n") });
                code = null;
            } else {
                code.lines.push(line);
            }
        }
    }
    if (code !== null)
        out.push({ kind: "code", language: code.language, text: code.lines.join("\n") });
    flushProse();
    return out;
}

// Whether a link may be opened: http and https only (no file:, javascript:, data:, custom schemes).
function isOpenableLink(url) {
    return /^https?:\/\/[^\s]+$/i.test(String(url));
}
