#!/usr/bin/env bash
# Makes the console screenshots in screenshots/ from the real binary.
#
# Each shot runs `convtui demo` with a fixed seed in a detached tmux window of a fixed size,
# presses the keys an operator would, captures the screen with its colours
# (`tmux capture-pane -e -p -N`) and renders it to PNG with scripts/ansi_to_png.py
# (DejaVu Sans Mono, plus WenQuanYi Zen Hei for Chinese).
#
# Prerequisites are checked and installed when missing (Debian/Ubuntu, as root):
# tmux, python3 with Pillow, fonts-dejavu-core, fonts-wqy-zenhei.
#
# Usage: scripts/screenshots.sh [OUTPUT_DIR]   (default: screenshots/)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-screenshots}"
mkdir -p "$out"

apt_need=()
command -v tmux >/dev/null || apt_need+=(tmux)
command -v python3 >/dev/null || apt_need+=(python3 python3-pip)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || apt_need+=(fonts-dejavu-core)
[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || apt_need+=(fonts-wqy-zenhei)
if [ ${#apt_need[@]} -gt 0 ]; then
  echo "installing: ${apt_need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${apt_need[@]}"
fi
python3 -c 'import PIL' 2>/dev/null || python3 -m pip install --quiet pillow || python3 -m pip install --quiet --break-system-packages pillow

swift build --product convtui
binary="$(swift build --show-bin-path)/convtui"
work="$(mktemp -d)"
socket="convtui-shots-$$"
trap 'tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT

# shot NAME COLS ROWS SECONDS "CONVTUI ARGS" [KEYS...]: run, wait, press keys, capture, render.
shot() {
  local name="$1" cols="$2" rows="$3" wait="$4" args="$5"
  shift 5
  tmux -L "$socket" kill-server 2>/dev/null || true
  # Let the previous server finish exiting before a new one takes the socket.
  while tmux -L "$socket" has-session 2>/dev/null; do sleep 0.1; done
  sleep 0.2
  tmux -L "$socket" -f /dev/null new-session -d -x "$cols" -y "$rows" \
    "env LANG=C.UTF-8 TERM=tmux-256color '$binary' $args"
  tmux -L "$socket" set-option -g window-size manual >/dev/null
  sleep "$wait"
  for key in "$@"; do
    tmux -L "$socket" send-keys "$key"
    sleep 0.3
  done
  sleep 0.5
  tmux -L "$socket" capture-pane -e -p -N >"$work/$name.ans"
  python3 scripts/ansi_to_png.py "$work/$name.ans" "$out/$name.png" --cols "$cols" --rows "$rows"
  echo "wrote $out/$name.png"
}

demo="demo --seed 7 --pace 0.5"
shot overview-4-panes 120 40 9 "$demo --record-dir '$work/first'"
shot zoom-inspector 140 40 9 "$demo --record-dir '$work/logs'" 2 z e
shot grid-16-panes 200 60 9 "$demo --sessions 16 --record-dir '$work/logs'" 6
shot session-table 160 40 9 "$demo --sessions 24 --record-dir '$work/logs'" t '>' '>' '>'
shot help 120 40 4 "$demo --record-dir '$work/logs'" '?'
shot input-line 120 40 6 "$demo --record-dir '$work/logs'" 2 i "能寄到上海吗？ ship to Shanghai"
# The first shot's logs replayed: three of them at 2×, paused a little before the end.
logs="$(ls "$work"/first/*.jsonl | head -3 | sed "s/.*/'&'/" | tr '\n' ' ')"
shot replay-3-logs 150 36 5 "replay --speed 2 $logs" Space Left
# A conversation with audio, recorded with --save-audio against the ElevenLabs simulator and
# replayed paused at 3.2 s: the user meter shows the user's WAV as it was sent.
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$binary" sim-server --port "$port" >/dev/null 2>&1 &
sim=$!
python3 - "$work/user.wav" <<'EOF'
import math, struct, sys, wave
with wave.open(sys.argv[1], "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(16000)
    w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / 16000))) for i in range(16000)))
EOF
cat >"$work/audio.toml" <<EOF
[[session]]
name = "support-line"
backend = "elevenlabs"
url = "ws://127.0.0.1:$port"
agent_id = "echo"
script = [{ delay = 0.5, text = "hello, is this the help line?" }, { delay = 2, file = "user.wav" }]
EOF
sleep 1
"$binary" run "$work/audio.toml" --headless --record-dir "$work/audio" --save-audio --duration 6 >/dev/null 2>&1
kill "$sim"
shot replay-saved-audio 120 20 2 "replay --align start '$work/audio'" Space a 3.2 Enter

# One console on two agents (`convtui attach`), three simulated sessions each; the second agent
# is killed a moment before the capture, so its panes are greyed and say why.
umask 077
head -c 24 /dev/urandom | base64 >"$work/control.token"
printf '[[session]]\nname = "%s"\nbackend = "sim"\nseed = 7\n\n' ava lina bruno >"$work/fleet.toml"
agent_ports=()
agent_pids=()
for label in a b; do
  agent_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  "$binary" agent "$work/fleet.toml" --listen "127.0.0.1:$agent_port" --token-file "$work/control.token" --no-record >/dev/null 2>&1 &
  agent_pids+=($!)
  agent_ports+=("$agent_port")
done
sleep 1
export CONVTUI_TOKEN="$(cat "$work/control.token")"
(sleep 5 && kill "${agent_pids[1]}") &
shot attach-2-agents 150 34 7 "attach http://127.0.0.1:${agent_ports[0]} http://127.0.0.1:${agent_ports[1]}"
kill "${agent_pids[0]}" 2>/dev/null || true
