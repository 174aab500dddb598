#!/usr/bin/env bash
# The official `openai` Python SDK against the strict `convtui sim-server`: GA and beta, a text
# turn, an audio turn ended by silence, and a barge-in (the server cancels, the client
# truncates). Every scenario must finish with zero `error` events. Opt-in (not run by
# `swift test`); prints one line per scenario and exits non-zero on any protocol error.
#
#   scripts/sdk-vs-sim-openai.sh [--no-build] [--venv DIR]
#
# Needs python3 with venv; `openai` is installed with pip into .build/conformance-venv.
set -euo pipefail

build=1
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.build/conformance-venv"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-build) build=0; shift ;;
        --venv) venv="$2"; shift 2 ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done

cd "$root"
if [[ $build == 1 ]]; then swift build --product convtui >&2; fi
bin="$(swift build --show-bin-path)"
if ! "$venv/bin/python" -c 'import openai' 2>/dev/null; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet openai websockets >&2
fi

. "$root/scripts/sim-server-lib.sh"
start_sim_server "$bin/convtui"
"$venv/bin/python" "$root/scripts/sdk_vs_sim_openai.py" "$port"
