#!/usr/bin/env bash
# Runs the test suite under ThreadSanitizer (see docs/reliability.md, "ThreadSanitizer").
# Builds into .build-tsan, runs the suites one at a time (timing-based tests fail under
# TSan's slowdown when run in parallel) and writes every report, from the test process and
# from the convtui processes the end-to-end tests start, to tsan-report.txt.
# Exits non-zero if a test fails or TSan reported anything.
# Usage: scripts/tsan.sh [swift test filter]
set -uo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
swift build --build-tests --sanitize=thread --scratch-path .build-tsan || exit 1
built=$(date +%s)
rm -f tsan-report.txt tsan-report.[0-9]*
TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1 log_path=$PWD/tsan-report" \
  swift test --skip-build --sanitize=thread --scratch-path .build-tsan --no-parallel ${1:+--filter "$1"}
status=$?
cat tsan-report.[0-9]* > tsan-report.txt 2>/dev/null; rm -f tsan-report.[0-9]*
reports=$(grep -c 'WARNING: ThreadSanitizer' < tsan-report.txt)
echo "build $((built - start)) s, tests $(( $(date +%s) - built )) s, exit $status, $reports reports in tsan-report.txt"
if [ "$status" -eq 0 ] && [ "$reports" -gt 0 ]; then status=1; fi
exit $status
