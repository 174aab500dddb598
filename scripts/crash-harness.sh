#!/usr/bin/env bash
# SIGKILLs a recording `convtui demo --headless --sessions 8 --pace 0.2` at KILLS random
# moments (0.2–3 s) and checks every log after each kill (see docs/reliability.md).
# Prints its seed first; `--seed N` (or CONVTUI_CRASH_SEED=N) replays the same kill moments and
# simulator seeds, so a failing run can be run again.
# Usage: scripts/crash-harness.sh [KILLS] [--seed N]   (default 100 kills; `swift test` runs 5)
set -euo pipefail
cd "$(dirname "$0")/.."
kills=100
while [ $# -gt 0 ]; do
  case "$1" in
    --seed) export CONVTUI_CRASH_SEED="${2:?--seed needs a number}"; shift 2 ;;
    *) kills="$1"; shift ;;
  esac
done
swift build --build-tests
CONVTUI_CRASH_KILLS="$kills" swift test --skip-build --filter CrashSafetyTests
