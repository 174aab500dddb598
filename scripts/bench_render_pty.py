#!/usr/bin/env python3
"""The render benchmark: convtui's view alone, then the console through a pty, against tmux.

Prints one JSON line (the `render` benchmark of scripts/bench.sh; see docs/benchmarks.md):

1. `convtui bench-view` over 16 session logs that `convtui demo --headless` records first:
   ConsoleView.render of a WIDTHxHEIGHT screen, new snapshots every frame and cached (view_*).
2. `convtui demo --sessions N --pace PACE --no-record` on a pty of WIDTHxHEIGHT: CPU of the
   process over the window (from /proc/PID/stat), bytes it writes per second, time from spawn
   to its first byte and to the end of its first frame (the first burst of output followed by
   a 30 ms pause).
3. The same demo `--headless`, stdout to /dev/null: the engine's share, subtracted to give
   render_cpu_percent (headless also formats a JSON line per event, so this slightly
   understates rendering).
4. The console at `--pace 100`: nothing changes but the status clock (idle_cpu_percent).
5. tmux (its own server, a client attached on a pty of the same size) with N tiled panes, each
   running a printer of one 40-character line PRINTER_HZ times a second: CPU of server plus
   client (tmux_cpu_percent), against convtui's rendering share.

    scripts/bench_render_pty.py --bin .build/release [--seconds 20] [--sessions 16] [--pace 0.75]
"""

import argparse
import fcntl
import glob
import json
import os
import select
import shutil
import signal
import struct
import subprocess
import tempfile
import termios
import time

TICKS = os.sysconf("SC_CLK_TCK")
PRINTER = (
    "import sys,time,itertools\n"
    "words='the agent answers while the user keeps talking about the weather'.split()\n"
    "hz=float(sys.argv[1]);t=time.monotonic()\n"
    "for i in itertools.count():\n"
    "    print(' '.join(words[(i+k)%len(words)] for k in range(6))[:40],flush=True)\n"
    "    t+=1/hz;time.sleep(max(0,t-time.monotonic()))\n"
)


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def open_pty(width, height):
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
    return master, slave


def spawn_on_pty(argv, width, height, env):
    master, slave = open_pty(width, height)
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
                            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
    os.close(slave)
    return proc, master


class PtyReader:
    """Drains a pty master, counting bytes and noting when the first frame ended."""

    def __init__(self, master, started):
        self.master, self.started = master, started
        self.bytes = 0
        self.first_byte = None
        self.first_frame = None
        self.last_byte = None

    def pump(self, until):
        while True:
            now = time.monotonic()
            if now >= until:
                return
            ready, _, _ = select.select([self.master], [], [], min(0.03, until - now))
            now = time.monotonic()
            if not ready:
                if self.first_frame is None and self.bytes >= 1000 and now - self.last_byte >= 0.03:
                    self.first_frame = self.last_byte - self.started
                continue
            try:
                data = os.read(self.master, 1 << 16)
            except OSError:
                return
            if not data:
                return
            if self.first_byte is None:
                self.first_byte = now - self.started
            self.bytes += len(data)
            self.last_byte = now


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(3)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def measure_console(argv, args, env):
    """CPU %, bytes/s and first-frame times of a full-screen program on a pty."""
    started = time.monotonic()
    proc, master = spawn_on_pty(argv, args.width, args.height, env)
    reader = PtyReader(master, started)
    try:
        reader.pump(started + args.warmup)
        cpu0, bytes0, t0 = cpu_seconds(proc.pid), reader.bytes, time.monotonic()
        reader.pump(t0 + args.seconds)
        cpu1, bytes1, t1 = cpu_seconds(proc.pid), reader.bytes, time.monotonic()
    finally:
        stop(proc)
        os.close(master)
    return {
        "cpu_percent": (cpu1 - cpu0) / (t1 - t0) * 100,
        "bytes_per_s": (bytes1 - bytes0) / (t1 - t0),
        "first_byte_ms": None if reader.first_byte is None else reader.first_byte * 1000,
        "first_frame_ms": None if reader.first_frame is None else reader.first_frame * 1000,
    }


def measure_headless(argv, args):
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(args.warmup)
        cpu0, t0 = cpu_seconds(proc.pid), time.monotonic()
        time.sleep(args.seconds)
        cpu1, t1 = cpu_seconds(proc.pid), time.monotonic()
    finally:
        stop(proc)
    return (cpu1 - cpu0) / (t1 - t0) * 100


def measure_tmux(args, env):
    """CPU % of a tmux server and attached client showing N panes of printers."""
    socket = f"convtui-bench-{os.getpid()}"
    tmux = ["tmux", "-L", socket, "-f", "/dev/null"]
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(PRINTER)
        printer = f"python3 {f.name} {args.printer_hz}"
    try:
        subprocess.run(tmux + ["new-session", "-d", "-s", "b", "-x", str(args.width), "-y", str(args.height), printer],
                       check=True, env=env)
        for _ in range(args.sessions - 1):
            subprocess.run(tmux + ["split-window", "-t", "b", printer], check=True, env=env)
            subprocess.run(tmux + ["select-layout", "-t", "b", "tiled"], check=True, env=env)
        panes = len(subprocess.run(tmux + ["list-panes", "-t", "b"], capture_output=True, text=True).stdout.splitlines())
        server = int(subprocess.run(tmux + ["display-message", "-p", "-t", "b", "#{pid}"],
                                    capture_output=True, text=True, check=True).stdout)
        started = time.monotonic()
        client, master = spawn_on_pty(tmux + ["attach", "-t", "b"], args.width, args.height, env)
        reader = PtyReader(master, started)
        try:
            reader.pump(started + args.warmup)
            cpu0 = cpu_seconds(server) + cpu_seconds(client.pid)
            bytes0, t0 = reader.bytes, time.monotonic()
            reader.pump(t0 + args.seconds)
            cpu1 = cpu_seconds(server) + cpu_seconds(client.pid)
            bytes1, t1 = reader.bytes, time.monotonic()
        finally:
            stop(client)
            os.close(master)
    finally:
        subprocess.run(tmux + ["kill-server"], capture_output=True)
        os.unlink(f.name)
    return {"tmux_panes": panes, "tmux_cpu_percent": (cpu1 - cpu0) / (t1 - t0) * 100,
            "tmux_bytes_per_s": (bytes1 - bytes0) / (t1 - t0)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="directory holding the release convtui")
    parser.add_argument("--seconds", type=float, default=20, help="measured window of each case")
    parser.add_argument("--warmup", type=float, default=2, help="seconds before each window")
    parser.add_argument("--sessions", type=int, default=16)
    parser.add_argument("--pace", type=float, default=0.75, help="demo pace (0.75: about 10 events/s a pane)")
    parser.add_argument("--printer-hz", type=float, default=10, help="lines a second per tmux pane")
    parser.add_argument("--width", type=int, default=200)
    parser.add_argument("--height", type=int, default=60)
    parser.add_argument("--frames", type=int, default=2000, help="frames of bench-view per case")
    args = parser.parse_args()

    convtui = os.path.join(args.bin, "convtui")
    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    result = {"benchmark": "render", "sessions": args.sessions, "width": args.width, "height": args.height,
              "seconds": args.seconds}

    logs = tempfile.mkdtemp(prefix="convtui-bench-render-")
    try:
        recorder = subprocess.Popen(
            [convtui, "demo", "--headless", "--sessions", str(args.sessions), "--pace", "0.05",
             "--duration", "3", "--record-dir", logs],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        recorder.wait(30)
        paths = sorted(glob.glob(os.path.join(logs, "**", "*.jsonl"), recursive=True))
        view = subprocess.run([convtui, "bench-view", "--width", str(args.width), "--height", str(args.height),
                               "--frames", str(args.frames)] + paths,
                              capture_output=True, text=True, check=True, env=env)
        for key, value in json.loads(view.stdout).items():
            result["view_" + key] = value
    finally:
        shutil.rmtree(logs, ignore_errors=True)

    demo = [convtui, "demo", "--sessions", str(args.sessions), "--no-record"]
    console = measure_console(demo + ["--pace", str(args.pace)], args, env)
    headless = measure_headless(demo + ["--pace", str(args.pace), "--headless"], args)
    idle = measure_console(demo + ["--pace", "100"], args, env)
    tmux = measure_tmux(args, env)

    render_cpu = console["cpu_percent"] - headless
    result.update({
        "console_cpu_percent": console["cpu_percent"],
        "headless_cpu_percent": headless,
        "render_cpu_percent": render_cpu,
        "bytes_per_s": console["bytes_per_s"],
        "first_byte_ms": console["first_byte_ms"],
        "first_frame_ms": console["first_frame_ms"],
        "idle_cpu_percent": idle["cpu_percent"],
        "idle_bytes_per_s": idle["bytes_per_s"],
        **tmux,
        "render_vs_tmux_ratio": render_cpu / tmux["tmux_cpu_percent"] if tmux["tmux_cpu_percent"] > 0 else None,
        "console_vs_tmux_ratio": console["cpu_percent"] / tmux["tmux_cpu_percent"] if tmux["tmux_cpu_percent"] > 0 else None,
    })
    print(json.dumps(result))


if __name__ == "__main__":
    main()
