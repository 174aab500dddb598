#!/usr/bin/env python3
"""Two engine-scale variants side by side: both run at the same time, round after round.

    scripts/bench_engine_pair.py [--rounds 5] [--seconds 20] NAME=BENCH [FLAG ...] -- NAME=BENCH [FLAG ...]

Each variant is a `convtui-bench` binary and its engine-scale flags (two builds, or one build
with and without `--no-alerts --no-metrics`). In every round both processes start together, each
recording into its own temporary directory, so whatever the shared machine does meanwhile (another
tenant, the CPU's clock, the page cache) falls on both alike: run one after the other, single
rounds on this 2-core VM differed by up to 25 %, side by side by a few per cent. One engine-scale
run uses about a tenth of a core, so two do not compete for the cores.

Prints one JSON line per run (CPU µs per event: CPU time over events handled, which compares
runs whose simulator pace differed), then one with each variant's median and the first's extra
CPU over the second: the median of the rounds' ratios, and the ratio of the medians.
"""
import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile


def parse_variant(words):
    if not words or "=" not in words[0]:
        sys.exit("each variant is NAME=BENCH [FLAG ...]")
    name, binary = words[0].split("=", 1)
    return name, [binary, "engine-scale", *words[1:]]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("variants", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    words = args.variants
    if "--" not in words:
        sys.exit("two variants, separated by --")
    split = words.index("--")
    variants = [parse_variant(words[:split]), parse_variant(words[split + 1:])]
    if variants[0][0] == variants[1][0]:
        sys.exit("the two variants need different names")

    per_event = {name: [] for name, _ in variants}
    ratios = []
    for round_ in range(1, args.rounds + 1):
        directories = [tempfile.mkdtemp(prefix="convtui-pair-") for _ in variants]
        processes = [
            subprocess.Popen(command + ["--seconds", str(args.seconds), "--record-dir", directory],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            for (_, command), directory in zip(variants, directories)
        ]
        outputs = [process.communicate()[0] for process in processes]
        for directory in directories:
            shutil.rmtree(directory, ignore_errors=True)
        figures = []
        for (name, _), process, output in zip(variants, processes, outputs):
            if process.returncode != 0 or not output.strip():
                sys.exit(f"{name}: convtui-bench engine-scale exited with {process.returncode}")
            run = json.loads(output.strip().splitlines()[-1])
            events = run["events_per_second_per_session"] * run["sessions"] * run["seconds"]
            us = run["cpu_percent_of_one_core"] / 100 * run["seconds"] * 1e6 / events
            per_event[name].append(us)
            figures.append(us)
            print(json.dumps({
                "round": round_, "variant": name,
                "cpu_percent": round(run["cpu_percent_of_one_core"], 2),
                "events_per_second_per_session": round(run["events_per_second_per_session"], 2),
                "cpu_us_per_event": round(us, 2),
            }), flush=True)
        ratios.append(figures[0] / figures[1])

    (first, _), (second, _) = variants
    medians = {name: statistics.median(values) for name, values in per_event.items()}
    print(json.dumps({
        "rounds": args.rounds,
        f"median_{first}_us_per_event": round(medians[first], 2),
        f"median_{second}_us_per_event": round(medians[second], 2),
        "round_ratios": [round(r, 3) for r in ratios],
        "extra_percent_median_of_rounds": round((statistics.median(ratios) - 1) * 100, 1),
        "extra_percent_of_medians": round((medians[first] / medians[second] - 1) * 100, 1),
    }))


if __name__ == "__main__":
    main()
