#!/usr/bin/env bash
# What turn metrics and alerts cost the engine (issue 16: at most 5 % extra CPU at 1,000
# sessions): `convtui-bench engine-scale` with everything on ("full") and with `--no-alerts
# --no-metrics` ("bare"), side by side (both at the same time, every round) by
# scripts/bench_engine_pair.py; one JSON line per run with the CPU per event, then one with the
# medians and full's extra CPU over bare.
#
#   scripts/bench_metrics_cost.sh [BIN_DIR (default .build/release)] [ROUNDS (default 5)]
set -euo pipefail
bin=${1:-.build/release}/convtui-bench
rounds=${2:-5}
exec python3 "$(dirname "$0")/bench_engine_pair.py" --rounds "$rounds" \
    "full=$bin" -- "bare=$bin" --no-alerts --no-metrics
