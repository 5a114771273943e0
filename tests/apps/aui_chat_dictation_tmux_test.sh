#!/usr/bin/env bash
# Speech and dictation in the full-screen aui-chat, driven in tmux:
#  1. speak (s on a message) with --speech-wav writes a WAV file (RIFF/WAVE) of the message;
#  2. --dictation-wav on that file: Ctrl-R transcribes it and the words land in the editor after
#     what was typed, not sent;
#  3. --dictation with a stand-in for sox's `rec` (it plays the same recording as a microphone
#     would, then waits to be stopped): the rule above the editor says it is listening and shows
#     the words heard so far; Ctrl-R stops and the words land in the editor;
#  4. a recorder that fails (no microphone): the status line says so in a sentence.
# The recogniser is CMU PocketSphinx, deterministic for a given recording; eSpeak NG's voice is
# deterministic too, so the words waited for are always heard.
#
# usage: aui_chat_dictation_tmux_test.sh path/to/aui-chat   exit 77 without tmux/python3
set -euo pipefail
app="${1:?usage: $0 path/to/aui-chat}"
[ -x "$app" ] || { echo "FAILED: $app is not an executable; build it first"; exit 1; }
command -v tmux >/dev/null || { echo "SKIPPED: tmux is not installed"; exit 77; }
command -v python3 >/dev/null || { echo "SKIPPED: python3 is not installed"; exit 77; }
# Without aui::dictation the app refuses --dictation-wav; the speak part still runs.
dictation=1
"$app" --dictation-wav /dev/null --help >/dev/null 2>&1 || dictation=0

socket_name="aui-chat-dictation-test"
source "$(dirname "$0")/../support/tmux_test.sh"

# Ctrl-C empties the editor (or cancels a reply); /quit then saves and leaves.
quit_app() {
  keys C-c
  type_line "/quit"
  wait_for "exited 0"
  tm send-keys -t "$session" C-l  # a clear screen for the next run's waits
  tm clear-history -t "$session"
  wait_gone "exited 0"
}

wav="$workdir/said.wav"
mkdir -p "$workdir/bin"
# A stand-in for `rec -q -t raw -r 16000 -e signed -b 16 -c 1 -`: the recording as 16 kHz mono
# samples, then silence until it is stopped (as a microphone would be); with rec-fails present it
# fails at once, as rec does without an input device.
cat >"$workdir/bin/rec" <<EOF
#!/usr/bin/env python3
import os, signal, sys, time, wave
if os.path.exists("$workdir/rec-fails"):
    sys.exit(2)
w = wave.open("$wav")
rate, n = w.getframerate(), w.getnframes()
frames = w.readframes(n)
samples = [int.from_bytes(frames[i:i + 2], "little", signed=True) for i in range(0, len(frames), 2)]
out = bytearray()
for k in range(int(n * 16000 / rate)):
    t = k * rate / 16000
    i = int(t)
    a = samples[min(i, n - 1)]
    b = samples[min(i + 1, n - 1)]
    out += int(a + (b - a) * (t - i)).to_bytes(2, "little", signed=True)
sys.stdout.buffer.write(bytes(out))
sys.stdout.buffer.flush()
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
silence = bytes(3200)  # a tenth of a second
while True:
    sys.stdout.buffer.write(silence)
    sys.stdout.buffer.flush()
    time.sleep(0.1)
EOF
chmod +x "$workdir/bin/rec"

tm new-session -d -s "$session" -x 100 -y 30 "env -i HOME='$workdir' PATH='$workdir/bin:$PATH' TERM=xterm-256color LANG=C.UTF-8 PS1='sh\$ ' bash --norc --noprofile -i"
wait_for 'sh$'
chat="'$app' --memory --new --demo-delay-ms 2 --suggestions off"

# 1. Speak: the message read aloud into a WAV file.
type_line "$chat --speech-wav '$wav'; echo \"exited \$?\""
wait_for "Type a message"
type_line "what is the weather like today"
wait_for "Assistant"
keys Tab
wait_for "messages: c copy"
keys Up
keys s
for _ in $(seq 1 300); do
  python3 - "$wav" <<'EOF' 2>/dev/null && break
import os, sys, wave
w = wave.open(sys.argv[1])
# Whole: at least a second of 16-bit mono audio, and every sample the header counts is there.
assert w.getsampwidth() == 2 and w.getnchannels() == 1 and w.getnframes() > w.getframerate()
assert os.path.getsize(sys.argv[1]) >= 44 + 2 * w.getnframes()
EOF
  sleep 0.1
done
[ "$(head -c 4 "$wav" 2>/dev/null)" = RIFF ] || fail "speak wrote no RIFF file at $wav"
[ "$(dd if="$wav" bs=1 skip=8 count=4 2>/dev/null)" = WAVE ] || fail "$wav is not a WAVE file"
keys Escape
wait_gone "messages: c copy"
quit_app
if [ "$dictation" = 0 ]; then
  echo "PASSED (speak only: this aui-chat was built without dictation)"
  exit 0
fi

# 2. The recording transcribed into the editor, after the text typed; nothing is sent.
type_line "$chat --dictation-wav '$wav'; echo \"exited \$?\""
wait_for "Type a message"
type_text "Note:"
keys C-r
wait_for "Dictated: the words are in the editor"
wait_for "Note: what is the weather"
screen | grep -qF "Assistant" && fail "the dictated words were sent"
# The palette lists the action with its key, and runs it (Ctrl-C empties the editor first).
keys C-c
wait_gone "Note: what"
keys C-p
type_text "dictat"
wait_for "Ctrl-R, /dictate"
keys Enter
wait_gone "Ctrl-R, /dictate"
wait_gone "● transcribing"
wait_for "what is the weather"
quit_app

# 3. The microphone (the stand-in): listening, the words so far, Ctrl-R stops, the words land.
type_line "$chat --dictation; echo \"exited \$?\""
wait_for "Type a message"
keys C-r
wait_for "● listening"
wait_for "heard: what is the weather"
keys C-r
wait_gone "● listening"
wait_for "Dictated: the words are in the editor"
wait_for "what is the weather"
screen | grep -qF "Assistant" && fail "the dictated words were sent"
# Enter sends them as the message.
keys Enter
wait_for "Assistant"

# 4. No microphone: a sentence, and nothing is listening.
touch "$workdir/rec-fails"
keys C-r
wait_for "No microphone could be opened"
wait_gone "● listening"
quit_app

# 5. The line mode, piped: /dictate transcribes the recording (the next line waits for it) and
# prints what it heard; /dictate send sends it.
XDG_DATA_HOME="$workdir/data" "$app" --plain --memory --demo-delay-ms 0 --suggestions off \
  --dictation-wav "$wav" >"$workdir/lines.txt" 2>&1 <<<$'/dictate\n/dictate send\n/history' || true
grep -qF "heard: what is the weather" "$workdir/lines.txt" ||
  { cat "$workdir/lines.txt"; fail "the line mode did not print what it heard"; }
grep -qE "1\. user.*what is the weather" "$workdir/lines.txt" ||
  { cat "$workdir/lines.txt"; fail "/dictate send did not send the words"; }
echo "PASSED"
