#!/usr/bin/env bash
# Seeded random operations on 64 sessions, 10 000 steps per seed (3 seeds), invariants after
# every step (see docs/reliability.md). Usage: scripts/stress.sh [SESSIONS] [STEPS]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
CONVTUI_STRESS_SESSIONS="${1:-64}" CONVTUI_STRESS_STEPS="${2:-10000}" \
  swift test --skip-build --filter RandomInterleavingTests
