#!/usr/bin/env bash
# The official elevenlabs Python SDK against the strict sim-server: text, audio, a signed URL
# and a refused override, with zero protocol errors (docs/sim-server.md). Opt-in, not run by
# `swift test`; the SDK is installed with pip into .build/sdk-venv.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.build/sdk-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet elevenlabs

work="$(mktemp -d)"
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
swift build --product convtui >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
bin="$(swift build --show-bin-path)/convtui"
cat >"$work/agents.json" <<'JSON'
{"private-agent": {"persona": "ava", "private": true}}
JSON
export SIM_XI_API_KEY="sim-key-$RANDOM$RANDOM"
"$bin" sim-server --port 0 --agents "$work/agents.json" --xi-api-key-env SIM_XI_API_KEY 2>"$work/server.log" &
server=$!
for _ in $(seq 100); do
  port="$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/server.log")"
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "${port:-}" ] || { cat "$work/server.log" >&2; exit 1; }

"$venv/bin/python" scripts/sdk_vs_sim_elevenlabs.py --base-url "http://127.0.0.1:$port" --api-key "$SIM_XI_API_KEY"
