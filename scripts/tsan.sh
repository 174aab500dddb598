#!/usr/bin/env bash
# Runs the test suite under ThreadSanitizer (see docs/reliability.md, "ThreadSanitizer").
# Builds into .build-tsan and runs the suites one at a time: in parallel, TSan's slowdown on
# 2 cores still fails the real-time tests (sim-server sockets, tmux, the flood test; tried on
# 2026-12-03). The end-to-end tests start the convtui next to the test bundle, so here the
# sanitized .build-tsan/debug/convtui (checked below). Every report, from the test process
# and from those convtui processes (they inherit TSAN_OPTIONS), goes to tsan-report.txt;
# scripts/tsan-suppressions.txt lists the dependency races it leaves out, each with its reason.
# Exits non-zero if a test fails or TSan reported anything.
# Usage: scripts/tsan.sh [swift test filter]
set -uo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
swift build --build-tests --sanitize=thread --scratch-path .build-tsan || exit 1
built=$(date +%s)
if ! nm .build-tsan/debug/convtui 2>/dev/null | grep __tsan_init > /dev/null; then  # not -q: with pipefail, nm killed by SIGPIPE would fail the check
  echo ".build-tsan/debug/convtui is not built with ThreadSanitizer" >&2
  exit 1
fi
rm -f tsan-report.txt tsan-report.[0-9]*
TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1 log_path=$PWD/tsan-report suppressions=$PWD/scripts/tsan-suppressions.txt" \
  swift test --skip-build --sanitize=thread --scratch-path .build-tsan --no-parallel ${1:+--filter "$1"}
status=$?
cat tsan-report.[0-9]* > tsan-report.txt 2>/dev/null; rm -f tsan-report.[0-9]*
reports=$(grep -c 'WARNING: ThreadSanitizer' < tsan-report.txt)
echo "build $((built - start)) s, tests $(( $(date +%s) - built )) s, exit $status, $reports reports in tsan-report.txt"
if [ "$status" -eq 0 ] && [ "$reports" -gt 0 ]; then status=1; fi
exit $status
