#!/usr/bin/env bash
# aui-desktop end to end, in a real X server (Xvfb): the app starts with the offline demo, and
# its test hook (AUI_DESKTOP_TEST_SCRIPT=e2e.qml) sends a message through the composer, waits for
# the streamed reply, regenerates it, switches back to the first branch, saves a screenshot,
# rates a reply (recorded in the feedback file) and sends a follow-up suggestion by clicking it.
# usage: aui_desktop_e2e_test.sh path/to/aui-desktop path/to/e2e.qml screenshot.png
# Exit 77 (skipped) without xvfb-run.
set -u
app="${1:?usage: $0 aui-desktop e2e.qml screenshot.png}"
script="${2:?}"
shot="${3:?}"
command -v xvfb-run > /dev/null || { echo "xvfb-run is not installed: skipped"; exit 77; }
[ -x "$app" ] || { echo "FAILED: $app is not an executable"; exit 1; }

workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
rm -f "$shot"
# Threads in memory, no configured backend, the system's own palette left out (--light).
env -u OPENAI_API_KEY -u OPENAI_BASE_URL -u ANTHROPIC_API_KEY -u ANTHROPIC_BASE_URL \
  XDG_DATA_HOME="$workdir/data" XDG_RUNTIME_DIR="$workdir" LANG=C.UTF-8 \
  AUI_DESKTOP_TEST_SCRIPT="$script" AUI_DESKTOP_SCREENSHOT="$shot" \
  AUI_DESKTOP_FEEDBACK_FILE="$workdir/feedback.jsonl" \
  timeout 150 xvfb-run -a -s "-screen 0 1280x900x24" \
  "$app" --memory --provider demo --demo-delay 5 --light \
  --feedback-file "$workdir/feedback.jsonl" > "$workdir/log" 2>&1
status=$?
cat "$workdir/log"
if [ "$status" -ne 0 ]; then
  echo "FAILED: aui-desktop exited with $status"
  exit 1
fi
[ -s "$shot" ] || { echo "FAILED: no screenshot at $shot"; exit 1; }
grep -q "done: a suggestion was sent and answered" "$workdir/log" || { echo "FAILED: the script did not get through"; exit 1; }
echo "passed; screenshot: $shot"
