#!/usr/bin/env python3
"""Idle CPU of the console's session table over many ended sessions (issue 16: 10,000
sessions, idle <= 0.5% of a core).

`convtui-bench stats` writes SESSIONS small session logs of simulator events (each ends with
its sessions ended) once, into --dir. `convtui replay` of all of them then runs on a pty of
WIDTHxHEIGHT; the script goes to the end (`G`, which pauses), switches to the table (`t`),
waits until the table shows and then --warmup seconds, and measures the process's CPU over
--seconds (from /proc/PID/stat) and the bytes it writes per second. Nothing changes on screen but the status clock. Prints one JSON
line.

    scripts/bench_table_idle.py --bin .build/release [--sessions 10000] [--seconds 20]
"""

import argparse
import glob
import json
import os
import subprocess
import time

from bench_render_pty import PtyReader, cpu_seconds, spawn_on_pty, stop


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=".build/release", help="directory with convtui and convtui-bench")
    parser.add_argument("--sessions", type=int, default=10000)
    parser.add_argument("--log-mb", type=float, default=0.01, help="size of each log in MiB")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=5, help="seconds to settle once the table shows")
    parser.add_argument("--ready-timeout", type=float, default=600, help="seconds to wait for the table")
    parser.add_argument("--width", type=int, default=200)
    parser.add_argument("--height", type=int, default=60)
    parser.add_argument("--dir", default="/tmp/convtui-bench-table")
    args = parser.parse_args()

    convtui = os.path.join(args.bin, "convtui")
    subprocess.run([os.path.join(args.bin, "convtui-bench"), "stats", "--logs", str(args.sessions),
                    "--log-mb", str(args.log_mb), "--runs", "1", "--dir", args.dir],
                   check=True, stdout=subprocess.DEVNULL)
    logs = sorted(glob.glob(os.path.join(args.dir, f"{args.sessions}x{args.log_mb}mb", "session-*.jsonl")))
    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8")
    started = time.monotonic()
    proc, master = spawn_on_pty([convtui, "replay"] + logs, args.width, args.height, env)
    reader = PtyReader(master, started)
    try:
        reader.pump(started + 3)
        # `G` folds every log to its end before the next key is read (a minute for 10,000 logs
        # on a loaded 2-core machine): measure only once the table is on screen.
        os.write(master, b"G")
        os.write(master, b"t")
        shown = f"sessions {len(logs)} of {len(logs)}".encode()
        deadline = time.monotonic() + args.ready_timeout
        seen = 0
        while time.monotonic() < deadline:
            reader.pump(time.monotonic() + 0.5)
            if any(shown in data for _, data in reader.chunks[seen:]):
                break
            seen = max(0, len(reader.chunks) - 1)
        else:
            raise SystemExit(f"the table did not show within {args.ready_timeout} s")
        reader.pump(time.monotonic() + args.warmup)
        cpu0, bytes0, t0 = cpu_seconds(proc.pid), reader.bytes, time.monotonic()
        reader.pump(t0 + args.seconds)
        cpu1, bytes1, t1 = cpu_seconds(proc.pid), reader.bytes, time.monotonic()
    finally:
        stop(proc)
        os.close(master)
    print(json.dumps({
        "benchmark": "table-idle",
        "sessions": len(logs),
        "width": args.width,
        "height": args.height,
        "seconds": args.seconds,
        "idle_cpu_percent": (cpu1 - cpu0) / (t1 - t0) * 100,
        "idle_bytes_per_s": (bytes1 - bytes0) / (t1 - t0),
    }))


if __name__ == "__main__":
    main()
