#!/usr/bin/env python3
"""Measures convtui headless and the ElevenLabs Python SDK under the same load, one after
the other, against one running `convtui sim-server --load`; prints one JSON line.

Both clients are measured from the outside in the same way, from /proc/PID:
- cpu_seconds: utime + stime over the measured window, which starts once every session is
  connected and lasts --seconds;
- threads_max: the largest `Threads:` seen, sampled every 0.2 s during the window;
- peak_rss_mb: `VmHWM:` (the kernel's high-water mark of resident memory) at the window's end;
- stop-all: convtui gets `stop-all` on stdin and is timed until every session has sent its
  `ended`/`failed` JSON line (then `quit` is timed until the process exits); the SDK driver
  (scripts/elevenlabs_sdk_load.py) calls `end_session()` on every conversation and times until
  every conversation thread is joined.
Traffic is counted too (agent responses and pings in the window), so that a client that falls
behind cannot look cheap by doing less work.

Called by scripts/bench-vs-python-sdk.sh, which builds, starts the server and makes the venv.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class ProcessProbe:
    """Kernel figures of one process, from /proc/PID."""

    def __init__(self, pid):
        self.pid = pid

    def cpu_seconds(self):
        with open(f"/proc/{self.pid}/stat") as f:
            # The command name may contain spaces; the fields after its closing ')' do not.
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime

    def status(self, key):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
        return -1

    def threads(self):
        return self.status("Threads")

    def peak_rss_mb(self):
        return self.status("VmHWM") / 1024


def measure_window(probe, seconds):
    """CPU seconds and the thread high-water mark over `seconds` of steady load."""
    cpu_before = probe.cpu_seconds()
    started = time.monotonic()
    threads_max = 0
    while time.monotonic() - started < seconds:
        threads_max = max(threads_max, probe.threads())
        time.sleep(0.2)
    return {
        "window_seconds": time.monotonic() - started,
        "cpu_seconds": probe.cpu_seconds() - cpu_before,
        "threads_max": threads_max,
        "peak_rss_mb": probe.peak_rss_mb(),
    }


class HeadlessEvents:
    """Reads `convtui run --headless` JSON lines on a thread: counts types, notices when every
    session is connected and when every session has ended."""

    def __init__(self, stream, sessions):
        self.sessions = sessions
        self.counts = {}
        self.connected = set()
        self.finished = set()
        self.all_connected = threading.Event()
        self.all_finished = threading.Event()
        self.all_finished_at = None
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    # Every headless line starts with session, name, t, run and type (docs/log-format.md); matching
    # them beats decoding the whole line, which would add the harness's own time to stop-all.
    LINE_START = re.compile(r'\{"session":(\d+),"name":"(?:[^"\\]|\\.)*","t":[-0-9.e]+,"run":\d+,"type":"([a-z_]+)"')

    def _read(self, stream):
        for line in stream:
            match = self.LINE_START.match(line)
            if not match:
                continue
            session, kind = int(match.group(1)), match.group(2)
            with self.lock:
                self.counts[kind] = self.counts.get(kind, 0) + 1
                if kind == "connected":
                    self.connected.add(session)
                    if len(self.connected) == self.sessions:
                        self.all_connected.set()
                elif kind in ("ended", "failed"):
                    self.finished.add(session)
                    if len(self.finished) == self.sessions and not self.all_finished.is_set():
                        self.all_finished_at = time.monotonic()
                        self.all_finished.set()

    def snapshot(self):
        with self.lock:
            return dict(self.counts)


def run_convtui(args):
    started = time.monotonic()
    process = subprocess.Popen(
        [args.convtui, "run", args.config, "--headless", "--no-record"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
    events = HeadlessEvents(process.stdout, args.sessions)
    if not events.all_connected.wait(args.connect_timeout):
        process.kill()
        raise SystemExit(f"convtui: only {len(events.connected)} of {args.sessions} sessions connected")
    connect_ms = (time.monotonic() - started) * 1000
    probe = ProcessProbe(process.pid)
    before = events.snapshot()
    figures = measure_window(probe, args.seconds)
    after = events.snapshot()

    stop_started = time.monotonic()
    process.stdin.write("stop-all\n")
    process.stdin.flush()
    stopped = events.all_finished.wait(30)
    stop_ms = (events.all_finished_at - stop_started) * 1000 if stopped else None
    quit_started = time.monotonic()
    process.stdin.write("quit\n")
    process.stdin.flush()
    process.wait(30)
    quit_ms = (time.monotonic() - quit_started) * 1000
    figures.update({
        "connect_ms": connect_ms,
        "agent_responses": after.get("agent_text_done", 0) - before.get("agent_text_done", 0),
        "pings": after.get("ping", 0) - before.get("ping", 0),
        "failed_sessions": events.snapshot().get("failed", 0),
        "stop_all_until_ended_ms": stop_ms,
        "quit_until_exit_ms": quit_ms,
    })
    return figures


def run_sdk(args):
    process = subprocess.Popen(
        [args.sdk_python, args.sdk_driver, "--base-url", args.base_url, "--sessions", str(args.sessions),
         "--connect-timeout", str(args.connect_timeout)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
    live = json.loads(process.stdout.readline())
    if live.get("event") != "live":
        process.kill()
        raise SystemExit(f"sdk: {live}")
    probe = ProcessProbe(process.pid)
    process.stdin.write("mark\n")
    process.stdin.flush()
    figures = measure_window(probe, args.seconds)
    stop_started = time.monotonic()
    process.stdin.write("stop\n")
    process.stdin.flush()
    stopped = json.loads(process.stdout.readline())
    harness_stop_ms = (time.monotonic() - stop_started) * 1000
    process.wait(60)
    figures.update({
        "connect_ms": live["connect_ms"],
        "agent_responses": stopped["agent_responses"],
        # Pings whose ping_ms is set: the SDK reports no others.
        "latency_measurements": stopped["latency_measurements"],
        "sessions_with_traffic": stopped["sessions_with_traffic"],
        "stop_all_call_ms": stopped["stop_all_call_ms"],
        "stop_all_until_joined_ms": stopped["stop_all_until_joined_ms"],
        "stop_all_seen_by_harness_ms": harness_stop_ms,
        "threads_after_stop": stopped["threads_after_stop"],
    })
    return figures


def ratio(numerator, denominator):
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--convtui", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--sdk-python")
    parser.add_argument("--sdk-driver")
    parser.add_argument("--base-url")
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--connect-timeout", type=float, default=60)
    parser.add_argument("--convtui-only", action="store_true",
                        help="measure convtui alone (quick iterations); no SDK figures or ratios")
    args = parser.parse_args()
    if not args.convtui_only and not (args.sdk_python and args.sdk_driver and args.base_url):
        parser.error("--sdk-python, --sdk-driver and --base-url are needed unless --convtui-only")

    convtui = run_convtui(args)
    sdk = None if args.convtui_only else run_sdk(args)
    for figures in (convtui, sdk):
        if figures is None:
            continue
        figures["agent_responses_per_session_per_second"] = (
            figures["agent_responses"] / figures["window_seconds"] / args.sessions)
    result = {
        "benchmark": "vs-python-sdk",
        "sessions": args.sessions,
        "seconds": args.seconds,
        "cores": os.cpu_count(),
        "convtui": convtui,
    }
    if sdk is not None:
        result.update({
            "python_sdk": sdk,
            "cpu_ratio": ratio(sdk["cpu_seconds"], convtui["cpu_seconds"]),
            "stop_all_ratio": ratio(sdk["stop_all_until_joined_ms"], convtui["stop_all_until_ended_ms"]),
            "threads_ratio": ratio(sdk["threads_max"], convtui["threads_max"]),
            "rss_ratio": ratio(sdk["peak_rss_mb"], convtui["peak_rss_mb"]),
        })
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
