#!/usr/bin/env bash
# SIGKILLs a recording `convtui demo --headless --sessions 8 --pace 0.2` at KILLS random
# moments (0.2–3 s) and checks every log after each kill (see docs/reliability.md).
# Usage: scripts/crash-harness.sh [KILLS]   (default 100; `swift test` runs 5)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
CONVTUI_CRASH_KILLS="${1:-100}" swift test --skip-build --filter CrashSafetyTests
