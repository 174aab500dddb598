#!/usr/bin/env bash
# convtui headless vs the official ElevenLabs Python SDK: the same number of text-only
# ElevenLabs conversations against one loopback `convtui sim-server --load`, measured the same
# way (CPU, peak RSS, threads, stop-all time, messages received). Prints one JSON line.
#
#   scripts/bench-vs-python-sdk.sh [--sessions 200] [--seconds 20] [--no-build]
#                                  [--convtui-only] [--binary PATH]
#
# Needs a release build (made unless --no-build) and python3 with venv; the SDK is installed
# with pip into .build/bench-venv the first time. --convtui-only skips the SDK (quick
# iterations); --binary measures another convtui build (before/after pairs) against a server
# from this one. See docs/benchmarks.md.
set -euo pipefail

sessions=200
seconds=20
build=1
sdk=1
client=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --sessions) sessions="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --no-build) build=0; shift ;;
        --convtui-only) sdk=0; shift ;;
        --binary) client="$2"; shift 2 ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [[ $build == 1 ]]; then swift build -c release >&2; fi
bin="$(swift build -c release --show-bin-path)"
client="${client:-$bin/convtui}"

venv="$root/.build/bench-venv"
if [[ $sdk == 1 ]] && ! "$venv/bin/python" -c 'import elevenlabs' 2>/dev/null; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet elevenlabs >&2
fi

# Each client holds one socket per session and the server one per client session.
ulimit -n 8192 2>/dev/null || true

. "$root/scripts/sim-server-lib.sh"
start_sim_server "$bin/convtui" --load

config="$work/sessions.toml"
{
    echo "# $sessions text-only ElevenLabs sessions against the local sim-server (load mode)."
    echo 'backend = "elevenlabs"'
    echo "url = \"ws://127.0.0.1:$port\""
    echo 'agent_id = "ava"'
    echo 'text_only = true'
    for ((i = 1; i <= sessions; i++)); do
        printf '\n[[session]]\nname = "el-%d"\n' "$i"
    done
} >"$config"

if [[ $sdk == 1 ]]; then
    sdk_args=(--sdk-python "$venv/bin/python" --sdk-driver "$root/scripts/elevenlabs_sdk_load.py"
        --base-url "http://127.0.0.1:$port")
else
    sdk_args=(--convtui-only)
fi
python3 "$root/scripts/vs_python_sdk.py" \
    --convtui "$client" --config "$config" "${sdk_args[@]}" \
    --sessions "$sessions" --seconds "$seconds"
