#!/usr/bin/env bash
# What turn metrics and alerts cost the engine (issue 16: at most 5 % extra CPU at 1,000
# sessions): `convtui-bench engine-scale` with everything on, then with `--no-alerts
# --no-metrics`, in turn, ROUNDS times; one JSON line per run with the CPU per event.
#
#   scripts/bench_metrics_cost.sh [BIN_DIR (default .build/release)] [ROUNDS (default 3)]
set -euo pipefail
bin=${1:-.build/release}/convtui-bench
rounds=${2:-3}
for round in $(seq 1 "$rounds"); do
  for variant in full bare; do
    flags=()
    [ "$variant" = bare ] && flags=(--no-alerts --no-metrics)
    dir=$(mktemp -d)
    out=$("$bin" engine-scale --seconds 20 --record-dir "$dir" "${flags[@]}" 2>/dev/null | tail -1)
    rm -rf "$dir"
    python3 - "$variant" "$round" "$out" <<'PY'
import json, sys
variant, round_, run = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
events = run["events_per_second_per_session"] * run["sessions"] * run["seconds"]
print(json.dumps({
    "round": round_, "variant": variant,
    "cpu_percent": round(run["cpu_percent_of_one_core"], 2),
    "events_per_second_per_session": round(run["events_per_second_per_session"], 2),
    "cpu_us_per_event": round(run["cpu_percent_of_one_core"] / 100 * run["seconds"] * 1e6 / events, 2),
}))
PY
  done
done
