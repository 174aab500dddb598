#!/usr/bin/env bash
# Starts a PulseAudio server for the audio tests, once, and prints its address.
#
# The server has a null sink `convtui_null` (48 kHz; the default sink: tests record its
# monitor with parec) and a "microphone": a null sink `convtui_mic` (16 kHz) whose monitor is
# the default source, so what a test plays into that sink with pacat is what push-to-talk
# captures. It listens on a socket of its own, so it never meets a desktop's server. Runs as
# root too (CI): pulseaudio then only warns, and HOME points into the server's directory so
# that nothing is written to root's home. Idempotent: a server already answering is reused
# (and given the microphone if an older version of this script started it).
set -euo pipefail
dir=${CONVTUI_PULSE_DIR:-/tmp/convtui-pulse}
socket=$dir/native
mkdir -p "$dir"
chmod 700 "$dir"
export PULSE_RUNTIME_PATH=$dir HOME=$dir
answers() { PULSE_SERVER=unix:$socket pactl info >/dev/null 2>&1; }
if ! answers; then
  # The daemon keeps what it inherits open: no stdout of ours, or a caller reading this
  # script's output to its end would wait for the daemon to exit. Two callers at once: the
  # second start fails (one daemon per runtime directory) and waits below for the first.
  pulseaudio -D --system=false --exit-idle-time=-1 --disallow-exit -n --disable-shm=yes \
    --load="module-null-sink sink_name=convtui_null rate=48000 channels=1" \
    --load="module-native-protocol-unix auth-anonymous=1 socket=$socket" \
    --log-target="file:$dir/log" >/dev/null 2>&1 || true
  for _ in $(seq 100); do answers && break; sleep 0.1; done
  answers || { echo "pulse-test-server: no server answers on $socket (see $dir/log)" >&2; exit 1; }
fi
ctl() { PULSE_SERVER=unix:$socket pactl "$@"; }
if ! ctl list short sinks | grep -q convtui_mic; then
  ctl load-module module-null-sink sink_name=convtui_mic rate=16000 channels=1 >/dev/null
fi
ctl set-default-sink convtui_null >/dev/null
ctl set-default-source convtui_mic.monitor >/dev/null
echo "unix:$socket"
