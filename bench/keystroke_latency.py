#!/usr/bin/env python3
"""Keystroke to screen through a real terminal (tmux), issue 17's last performance figure.

usage: bench/keystroke_latency.py path/to/aui-chat [samples]

Starts `aui-chat --full-screen` with the offline demo in a private tmux server (120x40), then
types characters into the editor one at a time, 60 ms apart, and measures, for each, the time from
`tmux send-keys` until `tmux capture-pane` shows it: first with nothing streaming, then while
the demo streams a long story at 100 updates a second (--demo-delay-ms 10, restarted when it
ends). The same measurement against `cat` (which echoes at once) is tmux's own share; the
difference is the app's. Prints median and p95 of each, in ms. A benchmark, not a test: it
reads the wall clock of a shared machine.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

app = sys.argv[1] if len(sys.argv) > 1 else "build/default/apps/aui-chat/aui-chat"
samples = int(sys.argv[2]) if len(sys.argv) > 2 else 60
socket = f"aui-keystroke-{os.getpid()}"


def tm(*args):
    return subprocess.run(["tmux", "-L", socket, *args], check=True, capture_output=True,
                          text=True).stdout


def screen():
    return tm("capture-pane", "-p", "-t", "bench")


def wait_for(text, timeout=30.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if text in screen():
            return
        time.sleep(0.02)
    raise SystemExit(f"keystroke_latency: gave up waiting for {text!r}:\n{screen()}")


def percentile(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(p * len(v)))]


def clear(typed):
    for _ in typed:
        tm("send-keys", "-t", "bench", "BSpace")
    deadline = time.monotonic() + 5
    while "zqz" in screen() and time.monotonic() < deadline:
        pass


def measure(count, before_batch=None, after_batch=None):
    """Types `count` characters in batches of 20; the typed run must show whole after each."""
    times = []
    while len(times) < count:
        if before_batch:
            before_batch()
        typed = ""
        for i in range(min(20, count - len(times))):
            typed += "zq"[i % 2]
            time.sleep(0.06)  # a fast typist's pace (16 keys a second), not back to back
            start = time.perf_counter()
            tm("send-keys", "-t", "bench", "-l", typed[-1])
            while typed not in screen():
                if time.perf_counter() - start > 5:
                    raise SystemExit(f"keystroke_latency: {typed!r} never showed:\n{screen()}")
            times.append((time.perf_counter() - start) * 1000)
        if after_batch:
            after_batch()
        clear(typed)
    return times


def report(label, times):
    print(f"{label:40s} median {statistics.median(times):6.2f} ms   p95 "
          f"{percentile(times, 0.95):6.2f} ms   ({len(times)} keystrokes)")


def start(command):
    tm("new-session", "-d", "-s", "bench", "-x", "120", "-y", "40", command)


with tempfile.TemporaryDirectory() as work:
    first_socket = socket
    try:
        start("cat")
        time.sleep(0.2)
        report("tmux alone (cat echoing)", measure(samples))
        tm("kill-server")
        socket += "-app"  # a new server: the old one may still be going away

        env = (f"env LANG=C.UTF-8 TERM=xterm-256color XDG_DATA_HOME='{work}/data' "
               f"XDG_STATE_HOME='{work}/state'")
        start(f"{env} '{app}' --full-screen --new --demo-delay-ms 10 --suggestions off")
        wait_for("Type a message")
        report("aui-chat, idle", measure(samples))

        # Each batch of keystrokes while a fresh story streams (about 5 s at 100 updates/s); the
        # batch counts only if the story was still streaming when it ended.
        ended_early = []

        def story():
            tm("send-keys", "-t", "bench", "-l", "tell me a long story")
            tm("send-keys", "-t", "bench", "Enter")
            wait_for("Once upon a time")

        def check_streaming():
            if "The end." in screen():
                ended_early.append(True)
            tm("send-keys", "-t", "bench", "Escape")  # the next batch starts a new story
            time.sleep(0.1)

        report("aui-chat, a reply streaming at 100/s", measure(samples, story, check_streaming))
        if ended_early:
            print(f"note: in {len(ended_early)} batch(es) the story ended before the batch did")
    finally:
        for name in {first_socket, socket}:
            subprocess.run(["tmux", "-L", name, "kill-server"], capture_output=True)
