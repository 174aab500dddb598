#!/usr/bin/env python3
"""Medians of benchmark runs, checked against convtui's targets.

Reads RESULTS/NAME.jsonl (one JSON line per run, as the benchmarks print them), prints a
table of medians and targets, and with --append adds a dated section to BENCHMARKS.md: the
machine, the exact command, the medians with pass/fail, and every raw run.
Called by scripts/bench.sh.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
from pathlib import Path

# (benchmark, figure, comparison, bound, what the target says). Figures are the benchmarks'
# JSON keys, nested objects joined with dots. A new benchmark adds its targets here.
TARGETS = [
    ("stop-latency", "stop_call_p99_ms", "<=", 5, "stop() call, p99, stalled ElevenLabs server"),
    ("stop-latency", "stop_until_ended_p99_ms", "<=", 5, "stop() until the phase is ended/failed, p99, stalled server"),
    ("stop-latency", "stop_all_until_ended_ms", "<=", 500, "stop-all of 1,000 sim sessions until all ended"),
    ("engine-scale", "cpu_percent_of_one_core", "<=", 15, "1,000 recorded sim sessions at ~10 events/s, read at 30 Hz: CPU"),
    ("engine-scale", "peak_rss_mb", "<=", 300, "the same: peak resident memory"),
    ("engine-scale", "threads_max", "<=", "engine_threads_bound", "the same: threads O(cores), at most 2 x cores + 4"),
    ("engine-scale", "latency_p99_ms", "<=", 40, "the same: event to snapshot seen by the reader, p99"),
    ("engine-scale", "stop_all_until_ended_ms", "<=", 500, "stop-all of 1,000 recorded sim sessions until all ended"),
    ("logs", "index_mb_per_s", ">=", 300, "ReplayIndex.build of a ~1 GB sim log, warm page cache"),
    ("logs", "index_vs_jq_ratio", ">=", 3, "indexing MB/s / `jq -c .` MB/s (jq on a 100 MB prefix)"),
    ("logs", "seek_p99_ms", "<=", 20, "seek anywhere in the ~1 GB log once checkpoints are ready, p99"),
    ("logs", "replay_cpu_percent_of_one_core", "<=", 100, "16 logs replayed at 64x in one player"),
    ("stats", "mb_per_s", ">=", 300, "`convtui stats` over 1,000 sim logs of 1 MiB each, warm page cache"),
    ("table-idle", "idle_cpu_percent", "<=", 0.5, "console CPU, session table of 10,000 ended replayed sessions, nothing changing"),
    ("render", "view_median_ms", "<=", 1, "ConsoleView.render, 200x60, 16 busy panes, new snapshots each frame"),
    ("render", "render_cpu_percent", "<=", 5, "console CPU minus headless CPU, 16 panes at about 10 events/s"),
    ("render", "idle_cpu_percent", "<=", 0.5, "console CPU with nothing but clocks changing (--pace 100)"),
    ("render", "first_frame_ms", "<=", 150, "spawn to the end of the first frame on a pty"),
    ("render", "bytes_vs_changed_ratio", "<=", 1.5, "bytes written to the pty / UTF-8 bytes of the cells that changed"),
    ("render", "render_vs_tmux_ratio", "<=", 1, "convtui rendering CPU / tmux server+client CPU, same text and rate"),
    ("stdout-blocked", "rate_ratio_min", ">=", 0.95, "4 sessions, stdout unread 10 s: each session's events vs reading"),
    ("stdout-blocked", "rss_max_mb_blocked", "<=", 100, "the same: peak resident memory while stdout is blocked"),
    ("vs-python-sdk", "cpu_ratio", ">=", 10, "Python SDK CPU-seconds / convtui CPU-seconds"),
    ("vs-python-sdk", "stop_all_ratio", ">=", 50, "SDK stop-all until joined / convtui stop-all until ended"),
    ("vs-python-sdk", "convtui.threads_max", "<=", "threads_bound", "convtui threads O(cores): at most 4 x cores + 16"),
    ("vs-python-sdk", "python_sdk.threads_max", ">=", "sessions", "SDK threads O(sessions): at least one per session"),
]


def flatten(record, prefix=""):
    """Numeric figures of one run, nested objects as dotted keys."""
    figures = {}
    for key, value in record.items():
        if isinstance(value, dict):
            figures.update(flatten(value, f"{prefix}{key}."))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            figures[prefix + key] = value
    return figures


def load(results):
    runs = {}
    for path in sorted(Path(results).glob("*.jsonl")):
        lines = [line for line in path.read_text().splitlines() if line.strip()]
        runs[path.stem] = [json.loads(line) for line in lines]
    return runs


def medians(records):
    figures = [flatten(record) for record in records]
    keys = [key for key in figures[0] if all(key in f for f in figures)]
    return {key: statistics.median(f[key] for f in figures) for key in keys}


def bound_value(bound, figures):
    if bound == "engine_threads_bound":
        return 2 * figures.get("cores", os.cpu_count()) + 4
    if bound == "threads_bound":
        return 4 * figures.get("cores", os.cpu_count()) + 16
    if bound == "sessions":
        return figures.get("sessions")
    return bound


def check_targets(all_medians):
    rows = []
    for benchmark, figure, comparison, bound, meaning in TARGETS:
        figures = all_medians.get(benchmark)
        if figures is None:
            continue
        limit = bound_value(bound, figures)
        value = figures.get(figure)
        if value is None or limit is None:
            passed = None
        else:
            passed = value <= limit if comparison == "<=" else value >= limit
        rows.append((benchmark, figure, value, f"{comparison} {fmt(limit)}", passed, meaning))
    return rows


def fmt(value):
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"
    return str(value)


def verdict(passed):
    return {True: "pass", False: "MISS", None: "n/a"}[passed]


def machine():
    def first(path, key):
        with open(path) as f:
            for line in f:
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
        return "unknown"

    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
    return {
        "nproc": subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip(),
        "cpu": first("/proc/cpuinfo", "model name"),
        "memory": first("/proc/meminfo", "MemTotal"),
        "swift": swift[0] if swift else "unknown",
        "kernel": platform.release(),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def table(headers, rows):
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", required=True, help="directory of NAME.jsonl files")
    parser.add_argument("--command", required=True, help="the command line to record")
    parser.add_argument("--append", help="BENCHMARKS.md to add a section to")
    args = parser.parse_args()

    runs = load(args.results)
    all_medians = {name: medians(records) for name, records in runs.items() if records}
    target_rows = check_targets(all_medians)

    print(table(["benchmark", "figure", "median", "target", "result"],
                [(b, f, fmt(v), t, verdict(p)) for b, f, v, t, p, _ in target_rows]))
    for name, figures in all_medians.items():
        print(f"\n{name} ({len(runs[name])} runs), medians:")
        for key, value in figures.items():
            print(f"  {key:45} {fmt(value)}")

    if not args.append:
        return
    info = machine()
    now = datetime.datetime.now(datetime.timezone.utc)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    section = [
        f"\n## {now:%Y-%m-%d %H:%M} UTC\n",
        f"- Machine: {info['nproc']} cores (`nproc`), {info['cpu']}, {info['memory']} memory, Linux {info['kernel']}",
        f"- Swift: {info['swift']}",
        f"- Commit: `{commit}`; load average when the report was written: {info['load']}",
        f"- Command: `{args.command}`",
        "- Runs: " + ", ".join(f"{name} × {len(records)}" for name, records in runs.items()),
        "",
        "### Targets (medians)\n",
        table(["benchmark", "figure", "median", "target", "result", "meaning"],
              [(b, f"`{f}`", fmt(v), t, verdict(p), m) for b, f, v, t, p, m in target_rows]),
    ]
    for name, figures in all_medians.items():
        section += [f"\n### {name}: medians of {len(runs[name])} runs\n",
                    table(["figure", "median"], [(f"`{k}`", fmt(v)) for k, v in figures.items()])]
    section.append("\n### Raw runs (one JSON line per run)\n")
    for name, records in runs.items():
        section.append(f"{name}:\n\n```json")
        section += [json.dumps(record) for record in records]
        section.append("```\n")
    path = Path(args.append)
    if not path.exists():
        path.write_text(
            "# Benchmarks\n\nResults of `scripts/bench.sh` (see docs/benchmarks.md), newest last. "
            "The machine is shared, so compare figures within one section rather than across sections.\n")
    with path.open("a") as f:
        f.write("\n".join(section) + "\n")
    print(f"\nappended to {path}")


if __name__ == "__main__":
    main()
