#!/usr/bin/env python3
"""An OpenAI-compatible chat endpoint for the aui-chat MCP tests: the first time it is offered the
tool `fs__list_directory` it asks to call it on DIR; asked for "the long task" with the
everything-server's `everything__trigger-long-running-operation` offered, it calls that (three
steps, progress reported); once a tool result is in the conversation it answers with that result;
otherwise it answers "You said: " and the last user message's text (attachments included) on one
line, then the system prompt's first line. Streams (SSE) like the real API. Writes its port to
PORT_FILE.

usage: fake_openai.py PORT_FILE DIR
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port_file, directory = sys.argv[1], sys.argv[2]


def chunk(delta, finish=None):
    return {"id": "chatcmpl-test", "object": "chat.completion.chunk", "model": "fake",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


LONG = "everything__trigger-long-running-operation"


def last_user_text(messages):
    users = [m for m in messages if m.get("role") == "user"]
    if not users:
        return ""
    content = users[-1].get("content")
    if isinstance(content, list):
        content = " ".join(part.get("text", "") for part in content if part.get("type") == "text")
    return content or ""


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        messages = body.get("messages", [])
        tools = [t.get("function", {}).get("name") for t in body.get("tools", [])]
        results = [m for m in messages if m.get("role") == "tool"]
        if results:
            content = results[-1].get("content")
            if isinstance(content, list):
                content = " ".join(part.get("text", "") for part in content)
            events = [chunk({"role": "assistant", "content": "The directory holds: "}),
                      chunk({"content": content.replace("\n", "; ")}), chunk({}, "stop")]
        elif "the long task" in last_user_text(messages) and LONG in tools:
            call = {"index": 0, "id": "call_long", "type": "function",
                    "function": {"name": LONG,
                                 "arguments": json.dumps({"duration": 0.6, "steps": 3})}}
            events = [chunk({"role": "assistant", "tool_calls": [call]}), chunk({}, "tool_calls")]
        elif "fs__list_directory" in tools:
            call = {"index": 0, "id": "call_ls", "type": "function",
                    "function": {"name": "fs__list_directory",
                                 "arguments": json.dumps({"path": directory})}}
            events = [chunk({"role": "assistant", "tool_calls": [call]}), chunk({}, "tool_calls")]
        else:
            system = next((m.get("content") for m in messages if m.get("role") == "system"), "")
            if isinstance(system, list):
                system = " ".join(part.get("text", "") for part in system)
            said = "You said: " + last_user_text(messages).replace("\n", " ")
            first = (system or "(no system prompt)").split("\n")[0]
            events = [chunk({"role": "assistant", "content": said + " | system: " + first}),
                      chunk({}, "stop")]
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for e in events:
            self.wfile.write(b"data: " + json.dumps(e).encode() + b"\n\n")
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
