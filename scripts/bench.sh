#!/usr/bin/env bash
# All of convtui's benchmarks in one command: builds release, runs each benchmark several
# times, prints the medians against the targets and appends a dated section to BENCHMARKS.md.
#
#   scripts/bench.sh [--runs 5] [--sdk-runs 5] [--only NAME[,NAME…]] [--no-build] [--no-record]
#
#   --runs N       runs of each convtui-bench benchmark (default 5)
#   --sdk-runs N   runs of vs-python-sdk (default 5: one run takes about a minute and a half)
#   --only LIST    just these benchmarks (engine-scale, stop-latency, vs-python-sdk, render, logs,
#                  stats, table-idle, stdout-blocked)
#   --no-build     use the release binaries as they are
#   --no-record    print the table but leave BENCHMARKS.md alone
#
# Every `convtui-bench` subcommand named in BENCH_SUBCOMMANDS runs if the binary has it, so a
# new benchmark joins by adding its subcommand and its targets in scripts/bench_report.py.
# render is scripts/bench_render_pty.py (it drives the console on a pty), table-idle is
# scripts/bench_table_idle.py (the session table over 10,000 ended sessions); stdout-blocked is
# scripts/bench_stdout_blocked.py (headless with a reader that stops). See docs/benchmarks.md.
set -euo pipefail

runs=5
sdk_runs=5
only=""
build=1
record=1
command_line="scripts/bench.sh $*"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --sdk-runs) sdk_runs="$2"; shift 2 ;;
        --only) only="$2"; shift 2 ;;
        --no-build) build=0; shift ;;
        --no-record) record=0; shift ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done

# convtui-bench subcommands, in the order they run.
BENCH_SUBCOMMANDS=(engine-scale stop-latency logs stats)

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [[ $build == 1 ]]; then
    echo "building release…" >&2
    swift build -c release >&2
fi
bin="$(swift build -c release --show-bin-path)"
results="$(mktemp -d /tmp/convtui-bench-results-XXXXXX)"
echo "raw results in $results" >&2

wanted() { [[ -z $only || ",$only," == *",$1,"* ]]; }
available="$("$bin/convtui-bench" --help)"

for name in "${BENCH_SUBCOMMANDS[@]}"; do
    wanted "$name" || continue
    if ! grep -qE "^\s+$name(\s|$)" <<<"$available"; then
        echo "$name: not in convtui-bench yet, skipped" >&2
        continue
    fi
    for ((run = 1; run <= runs; run++)); do
        echo "$name: run $run of $runs" >&2
        "$bin/convtui-bench" "$name" >>"$results/$name.jsonl"
    done
done

if wanted render; then
    for ((run = 1; run <= runs; run++)); do
        echo "render: run $run of $runs" >&2
        python3 "$root/scripts/bench_render_pty.py" --bin "$bin" >>"$results/render.jsonl"
    done
fi

if wanted table-idle; then
    for ((run = 1; run <= runs; run++)); do
        echo "table-idle: run $run of $runs" >&2
        python3 "$root/scripts/bench_table_idle.py" --bin "$bin" >>"$results/table-idle.jsonl"
    done
fi

if wanted stdout-blocked; then
    for ((run = 1; run <= runs; run++)); do
        echo "stdout-blocked: run $run of $runs" >&2
        python3 "$root/scripts/bench_stdout_blocked.py" --bin "$bin" >>"$results/stdout-blocked.jsonl"
    done
fi

if wanted vs-python-sdk; then
    for ((run = 1; run <= sdk_runs; run++)); do
        echo "vs-python-sdk: run $run of $sdk_runs" >&2
        "$root/scripts/bench-vs-python-sdk.sh" --no-build >>"$results/vs-python-sdk.jsonl"
    done
fi

report_args=(--results "$results" --command "$command_line")
if [[ $record == 1 ]]; then report_args+=(--append "$root/BENCHMARKS.md"); fi
python3 "$root/scripts/bench_report.py" "${report_args[@]}"
