#!/usr/bin/env python3
"""A small MCP server over stdio for aui's tests: it behaves (paginated tools, progress, list
changes, pings) or misbehaves on purpose, as its first argument says:

  ok             behaves
  exit-at-start  says why on stderr and exits with status 3 before reading anything
  garbage        writes lines that are not JSON before every answer
  never-answer   reads requests and answers none; ignores SIGTERM (only SIGKILL stops it)
  wrong-version  answers initialize with protocol version 1999-01-01
  old-version    answers initialize with 2024-11-05
  flood-stderr   writes 20,000 long lines to stderr at start
  slow-start     behaves, after half a second of getting ready (for the startup benchmark)

Tools (mode ok): echo, add_tool (adds a tool, then notifies list_changed), crash (exits during
the call), big (a text of `mb` megabytes), dup (answers twice with the same id), hang (never
answers; a notifications/cancelled for it is reported on stderr), poke (sends a progress report
for the hanging call, then answers), ping_me (pings the client, answers with what came back),
shout (sends a log notification, then answers).
"""
import json
import os
import signal
import sys

mode = sys.argv[1] if len(sys.argv) > 1 else "ok"
out = sys.stdout
extra_tools = []
pending_hang = None  # (id, progress token) of the hanging call
next_server_id = [1000]


def send(message):
    if mode == "garbage":
        out.write("this is not JSON {{{\n")
    out.write(json.dumps(message) + "\n")
    out.flush()


def log(text):
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def tool(name, **extra):
    t = {"name": name, "description": "the " + name + " tool",
         "inputSchema": {"type": "object", "properties": {}}}
    t.update(extra)
    return t


TOOLS = [
    tool("echo", inputSchema={"type": "object", "properties": {"message": {"type": "string"}},
                              "required": ["message"]},
         annotations={"readOnlyHint": True}),
    tool("add_tool"), tool("crash"),
    tool("big", inputSchema={"type": "object", "properties": {"mb": {"type": "number"}}}),
    tool("dup"), tool("hang"), tool("poke"), tool("ping_me"), tool("shout"),
]


def all_tools():
    return TOOLS + extra_tools


def result(id_, value):
    send({"jsonrpc": "2.0", "id": id_, "result": value})


def text(t):
    return {"content": [{"type": "text", "text": t}]}


def read_message():
    line = sys.stdin.readline()
    if not line:
        sys.exit(0)
    return json.loads(line)


def handle(msg):
    global pending_hang
    method = msg.get("method")
    id_ = msg.get("id")
    params = msg.get("params") or {}
    if method is None:
        return  # an answer to one of our requests (handled where it was awaited)
    if id_ is None:
        if method == "notifications/cancelled":
            log("cancelled %s" % params.get("requestId"))
        return
    if method == "initialize":
        version = {"wrong-version": "1999-01-01", "old-version": "2024-11-05"}.get(
            mode, params.get("protocolVersion"))
        result(id_, {"protocolVersion": version,
                     "capabilities": {"tools": {"listChanged": True}, "logging": {}},
                     "serverInfo": {"name": "bad-server", "version": "1.0"}})
    elif method == "ping":
        result(id_, {})
    elif method == "tools/list":
        tools = all_tools()
        start = int(params.get("cursor", "0"))
        page = tools[start:start + 4]
        answer = {"tools": page}
        if start + 4 < len(tools):
            answer["nextCursor"] = str(start + 4)
        result(id_, answer)
    elif method == "tools/call":
        name = params.get("name")
        args = params.get("arguments") or {}
        if name == "echo":
            result(id_, text("echo: " + str(args.get("message"))))
        elif name == "add_tool":
            extra_tools.append(tool("added_%d" % (len(extra_tools) + 1)))
            result(id_, text("added"))
            send({"jsonrpc": "2.0", "method": "notifications/tools/list_changed"})
        elif name == "crash":
            log("crashing on purpose")
            os._exit(7)
        elif name == "big":
            size = int(float(args.get("mb", 50)) * 1000 * 1000)
            result(id_, text("x" * size))
        elif name == "dup":
            result(id_, text("first"))
            result(id_, text("second"))
        elif name == "hang":
            token = (params.get("_meta") or {}).get("progressToken")
            pending_hang = (id_, token)
        elif name == "poke":
            if pending_hang and pending_hang[1] is not None:
                send({"jsonrpc": "2.0", "method": "notifications/progress",
                      "params": {"progressToken": pending_hang[1], "progress": 1, "total": 2,
                                 "message": "halfway"}})
            result(id_, text("poked"))
        elif name == "ping_me":
            ping_id = next_server_id[0]
            next_server_id[0] += 1
            send({"jsonrpc": "2.0", "id": ping_id, "method": "ping"})
            while True:
                answer = read_message()
                if answer.get("id") == ping_id and "method" not in answer:
                    break
                handle(answer)
            result(id_, text("pong: " + json.dumps(answer.get("result"))))
        elif name == "shout":
            send({"jsonrpc": "2.0", "method": "notifications/message",
                  "params": {"level": "warning", "logger": "bad", "data": "shouting"}})
            result(id_, text("shouted"))
        else:
            result(id_, {"content": [{"type": "text", "text": "Unknown tool: " + str(name)}],
                         "isError": True})
    else:
        send({"jsonrpc": "2.0", "id": id_,
              "error": {"code": -32601, "message": "Method not found: " + str(method)}})


def main():
    log("pid %d" % os.getpid())
    if mode == "exit-at-start":
        log("cannot open the database: permission denied")
        sys.exit(3)
    if mode == "never-answer":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        while True:
            if not sys.stdin.readline():
                # Its input closed; it still does not go (as a hung server would not).
                signal.pause()
    if mode == "slow-start":
        import time
        time.sleep(0.5)
    if mode == "flood-stderr":
        for i in range(20000):
            sys.stderr.write("noise %d %s\n" % (i, "y" * 5000))
        sys.stderr.flush()
    if mode == "garbage":
        out.write("Starting the bad server... \x1b[31mred\x1b[0m\n")
        out.flush()
    while True:
        handle(read_message())


main()
