#!/usr/bin/env bash
# Runs the whole suite again and again, to find tests that fail only now and then (issue 15:
# 20 runs in a row without a failure, 10 of them beside two CPU-bound processes).
#
#   scripts/suite_repeat.sh [RUNS (default 20)] [QUIET_RUNS (default RUNS/2)]
#
# Builds once, then runs `swift test --skip-build` RUNS times; the runs after the first
# QUIET_RUNS have two `yes` processes beside them. Prints one line per run (status, wall
# time, the summary line) and the tests that failed; each run's output is kept in
# $TMPDIR/convtui-suite-repeat/run-N.log. convtui processes a run left behind are ended first.
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
quiet=${2:-$((runs / 2))}
out=${TMPDIR:-/tmp}/convtui-suite-repeat
mkdir -p "$out"
swift build --build-tests >/dev/null || exit 1
for i in $(seq 1 "$runs"); do
  pkill -f "debug/convtui " 2>/dev/null
  hogs=()
  if [ "$i" -gt "$quiet" ]; then
    yes >/dev/null & hogs+=($!)
    yes >/dev/null & hogs+=($!)
  fi
  start=$(date +%s)
  swift test --skip-build >"$out/run-$i.log" 2>&1
  status=$?
  [ ${#hogs[@]} -gt 0 ] && kill "${hogs[@]}" 2>/dev/null
  echo "run $i: exit $status, $(( $(date +%s) - start )) s, ${#hogs[@]} hogs: $(tail -1 "$out/run-$i.log")"
  grep -E "✘ Test .* recorded an issue" "$out/run-$i.log" | cut -c1-200
done
