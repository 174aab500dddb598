#!/usr/bin/env bash
# What turn metrics and alerts cost the engine (issue 16: at most 5 % extra CPU at 1,000
# sessions): `convtui-bench engine-scale` with everything on ("full"), and with `--no-alerts
# --no-metrics` ("bare"), ROUNDS times, the order swapped every round (full first in odd
# rounds, bare first in even ones) so that whatever favours the first or second run of a pair
# falls on both alike; one JSON line per run with the CPU per event, then one with the medians
# and their ratio.
#
#   scripts/bench_metrics_cost.sh [BIN_DIR (default .build/release)] [ROUNDS (default 5)]
set -euo pipefail
bin=${1:-.build/release}/convtui-bench
rounds=${2:-5}
runs=$(mktemp)
trap 'rm -f "$runs"' EXIT
for round in $(seq 1 "$rounds"); do
  order=(full bare)
  [ $((round % 2)) -eq 0 ] && order=(bare full)
  for variant in "${order[@]}"; do
    flags=()
    [ "$variant" = bare ] && flags=(--no-alerts --no-metrics)
    dir=$(mktemp -d)
    out=$("$bin" engine-scale --seconds 20 --record-dir "$dir" "${flags[@]}" 2>/dev/null | tail -1)
    rm -rf "$dir"
    python3 - "$variant" "$round" "$out" <<'PY' | tee -a "$runs"
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
python3 - "$runs" <<'PY'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
median = {v: statistics.median(r["cpu_us_per_event"] for r in runs if r["variant"] == v) for v in ("full", "bare")}
print(json.dumps({
    "median_full_us_per_event": round(median["full"], 2), "median_bare_us_per_event": round(median["bare"], 2),
    "extra_percent": round((median["full"] / median["bare"] - 1) * 100, 1),
}))
PY
