#!/usr/bin/env python3
"""stdout-blocked benchmark: does a reader that stops reading slow the sessions down?

Runs `convtui demo --headless --sessions 4` twice with the same seed: once with stdout read
as fast as it comes, once with stdout a 4 KiB pipe that nobody reads for the first BLOCK
seconds (then it is drained). Each session's event rate is counted in its log over those seconds
(events with t <= BLOCK), and the process's resident memory is sampled every 50 ms.
Prints one JSON line:

  {"sessions":4,"block_s":10,"rate_ratio_min":…,"per_session":[…],"rss_max_mb_blocked":…,
   "rss_max_mb_reading":…,"dropped_lines":…,"exit_status_blocked":…,"exit_status_reading":…}

rate_ratio_min is the smallest (blocked events / reading events) over the sessions.
Usage: scripts/bench_stdout_blocked.py --bin .build/release [--block 10] [--sessions 4]
"""

import argparse
import fcntl
import glob
import json
import os
import select
import subprocess
import sys
import tempfile
import time


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run(binary, sessions, block, blocked):
    logs = tempfile.mkdtemp(prefix="convtui-bench-stdout-")
    read_end, write_end = os.pipe()
    # The smallest pipe the kernel allows (4 KiB, F_SETPIPE_SZ), so that stdout is full within
    # the first second: the default 64 KiB takes 4 demo sessions longer than the whole run.
    fcntl.fcntl(write_end, 1031, 4096)
    duration = block + 2
    process = subprocess.Popen(
        [f"{binary}/convtui", "demo", "--headless", "--sessions", str(sessions), "--seed", "7",
         "--duration", str(duration), "--record-dir", logs],
        stdin=subprocess.DEVNULL, stdout=write_end, stderr=subprocess.PIPE)
    os.close(write_end)
    os.set_blocking(read_end, False)
    start = time.monotonic()
    rss = 0.0
    stdout_bytes = 0
    while process.poll() is None:
        rss = max(rss, rss_mb(process.pid))
        reading = not blocked or time.monotonic() - start >= block
        if reading:
            ready, _, _ = select.select([read_end], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(read_end, 1 << 20)
                    stdout_bytes += len(chunk)
                except BlockingIOError:
                    pass
        else:
            time.sleep(0.05)
    while True:
        try:
            chunk = os.read(read_end, 1 << 20)
        except BlockingIOError:
            break
        if not chunk:
            break
        stdout_bytes += len(chunk)
    os.close(read_end)
    stderr = process.stderr.read().decode(errors="replace")
    counts = []
    for path in sorted(glob.glob(f"{logs}/*.jsonl")):
        with open(path) as f:
            next(f)
            counts.append(sum(1 for line in f if json.loads(line).get("t", 1e9) <= block))
    dropped = 0
    for line in stderr.splitlines():
        if "stdout lines dropped" in line:
            dropped = int(line.split("convtui: ")[1].split()[0])
    return {"counts": counts, "rss": rss, "status": process.returncode, "dropped": dropped,
            "stdout_mb": stdout_bytes / 1e6, "stderr": stderr}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--block", type=float, default=10)
    parser.add_argument("--sessions", type=int, default=4)
    args = parser.parse_args()
    reading = run(args.bin, args.sessions, args.block, blocked=False)
    blocked = run(args.bin, args.sessions, args.block, blocked=True)
    ratios = [b / r if r else 0 for b, r in zip(blocked["counts"], reading["counts"])]
    print(json.dumps({
        "sessions": args.sessions,
        "block_s": args.block,
        "rate_ratio_min": round(min(ratios) if ratios else 0, 3),
        "per_session": [{"reading": r, "blocked": b} for r, b in zip(reading["counts"], blocked["counts"])],
        "rss_max_mb_reading": round(reading["rss"], 1),
        "rss_max_mb_blocked": round(blocked["rss"], 1),
        "dropped_lines": blocked["dropped"],
        "stdout_mb_reading": round(reading["stdout_mb"], 2),
        "stdout_mb_blocked": round(blocked["stdout_mb"], 2),
        "exit_status_reading": reading["status"],
        "exit_status_blocked": blocked["status"],
    }))


if __name__ == "__main__":
    sys.exit(main())
