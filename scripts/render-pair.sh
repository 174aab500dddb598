#!/usr/bin/env bash
# Two convtui builds drawing the same demo side by side, each in its own tmux server at
# 200x60: the CPU of each console's render thread (nanoseconds from /proc/…/schedstat, so
# far finer than the clock ticks of the render benchmark) and of each whole process, over the
# same window. Both run at once under the same load, so their ratio is a fair before/after
# even on a busy machine; alternate the order over several runs.
#
#   scripts/render-pair.sh BIN_A BIN_B [SECONDS]
#
# The render thread is the one named convtui-render (older builds: the one waiting in poll).
set -euo pipefail

if [[ $# -lt 2 ]]; then sed -n '2,9p' "$0"; exit 2; fi
bins=("$1" "$2")
seconds="${3:-30}"
sockets=("convtui-pair-a-$$" "convtui-pair-b-$$")
cleanup() { for s in "${sockets[@]}"; do tmux -L "$s" kill-server 2>/dev/null || true; done; }
trap cleanup EXIT

pids=()
for i in 0 1; do
    tmux -L "${sockets[$i]}" -f /dev/null new-session -d -x 200 -y 60 \
        "${bins[$i]} demo --sessions 16 --no-record --pace 0.75"
done
sleep 3
for i in 0 1; do pids+=("$(tmux -L "${sockets[$i]}" list-panes -F '#{pane_pid}')"); done

render_thread() {
    local task
    for task in /proc/"$1"/task/*; do
        if grep -qx convtui-render "$task/comm" || grep -q '^7 ' "$task/syscall" 2>/dev/null; then
            echo "$task"
            return
        fi
    done
    echo "no render thread in process $1" >&2
    exit 1
}
threads=("$(render_thread "${pids[0]}")" "$(render_thread "${pids[1]}")")
thread_ns() { awk '{print $1}' "$1/schedstat"; }
process_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

before=() after=()
for i in 0 1; do before+=("$(thread_ns "${threads[$i]}") $(process_ticks "${pids[$i]}")"); done
sleep "$seconds"
for i in 0 1; do after+=("$(thread_ns "${threads[$i]}") $(process_ticks "${pids[$i]}")"); done

ticks="$(getconf CLK_TCK)"
for i in 0 1; do
    read -r ns0 t0 <<<"${before[$i]}"
    read -r ns1 t1 <<<"${after[$i]}"
    awk -v name="${bins[$i]}" -v ns=$((ns1 - ns0)) -v t=$((t1 - t0)) -v s="$seconds" -v hz="$ticks" \
        'BEGIN { printf "%s: render thread %.3f%% of a core, process %.2f%%\n", name, ns / 1e7 / s, t * 100 / hz / s }'
done
