#!/usr/bin/env python3
"""The render benchmark: convtui's view alone, then the console through a pty, against tmux.

Prints one JSON line (the `render` benchmark of scripts/bench.sh; see docs/benchmarks.md):

1. `convtui-bench view` over 16 session logs that `convtui demo --headless` records first:
   ConsoleView.render of a WIDTHxHEIGHT screen, new snapshots every frame and cached (view_*).
2. `convtui demo --sessions N --pace PACE --no-record` on a pty of WIDTHxHEIGHT: CPU of the
   process over the window (from /proc/PID/stat), bytes it writes per second, time from spawn
   to its first byte and to the end of its first frame (the first burst of output followed by
   a 30 ms pause). Its output also goes through a terminal emulator (pyte): the UTF-8 bytes
   of the cells that changed between successive frames, per second, against the bytes written.
3. The same demo `--headless`, stdout to /dev/null: the engine's share, subtracted to give
   render_cpu_percent (headless also formats a JSON line per event, so this slightly
   understates rendering).
4. The console at `--pace 100`: nothing changes but the clocks (idle_cpu_percent).
5. tmux (its own server, a client attached on a pty of the same size) with N tiled panes
   showing the same sessions' text at the same rate: a headless demo with the same sessions,
   seed and pace feeds each pane's `cat` its session's transcript as it grows. CPU of server
   plus client (tmux_cpu_percent), against convtui's rendering share.

pyte is installed with pip into .build/bench-venv the first time (the script re-runs itself
with that venv's python).

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
import sys
import tempfile
import termios
import time

TICKS = os.sysconf("SC_CLK_TCK")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, ".build", "bench-venv")

# Reads `convtui demo --headless` JSON lines on stdin and writes each session's transcript to
# its pane's FIFO (argv: the FIFOs, session 1 first) as a plain terminal would show it: a
# role label per turn, the user's transcript as it grows (rewritten when it changes rather
# than grows), the agent's text as it streams, and a line per run and tool event.
FEEDER = r"""
import json, os, sys
fds = [os.open(path, os.O_WRONLY) for path in sys.argv[1:]]
user = [None] * len(fds)
agent = [False] * len(fds)
notes = {"run_started", "connected", "ended", "failed", "tool_call", "tool_result", "server_error"}
for line in sys.stdin:
    event = json.loads(line)
    i = event["session"] - 1
    if not 0 <= i < len(fds):
        continue
    kind, out = event["type"], ""
    if kind == "user_transcript":
        text, shown = event["text"], user[i]
        if shown is None:
            out, shown = "you: ", ""
        out += text[len(shown):] if text.startswith(shown) else "\r\x1b[Kyou: " + text
        user[i] = None if event["final"] else text
        if event["final"]:
            out += "\n"
    elif kind == "user_message":
        out = "you: " + event["text"] + "\n"
    elif kind == "agent_text_delta":
        out = ("" if agent[i] else "agent: ") + event["text"]
        agent[i] = True
    elif kind in ("agent_text_done", "interruption") and agent[i]:
        out = "\n" if kind == "agent_text_done" else " interrupted\n"
        agent[i] = False
    elif kind in notes:
        out = "· " + kind.replace("_", " ") + "\n"
    if out:
        os.write(fds[i], out.encode())
"""


def ensure_pyte():
    """Imports pyte, first installing it into the bench venv and re-running there if needed."""
    try:
        import pyte
        return pyte
    except ImportError:
        pass
    python = os.path.join(VENV, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        raise SystemExit(f"pyte is missing from {VENV}: {python} -m pip install pyte")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True, stdout=sys.stderr)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "pyte"], check=True, stdout=sys.stderr)
    os.execv(python, [python] + sys.argv)


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
    """Drains a pty master, counting bytes, keeping them with their arrival times (for the
    emulator) and noting when the first frame ended."""

    def __init__(self, master, started):
        self.master, self.started = master, started
        self.bytes = 0
        self.chunks = []
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
            self.chunks.append((now, data))
            self.last_byte = now


# Output that arrives within this long of the previous bytes belongs to the same frame: the
# emulator's screen is compared only between frames, so a frame that clears cells and draws
# them again shows only what it changed.
FRAME_GAP = 0.003


def changed_cell_bytes(pyte, chunks, width, height, t0, t1):
    """UTF-8 bytes per second of the cells that differ between successive frames (a cell whose
    character or attributes changed counts its character's bytes), for the frames that end
    within [t0, t1]; and how many such frames there were."""

    class Screen(pyte.Screen):
        """pyte's screen plus the xterm sequences ncurses uses that pyte lacks (REP, SU, SD),
        and faint (SGR 2), kept in pyte's blink slot, which neither program uses."""

        last = " "

        def draw(self, data):
            super().draw(data)
            if data:
                self.last = data[-1]

        def repeat_last(self, count=1, *rest, **private):
            self.draw(self.last * max(1, count))

        def scroll(self, count, up):
            top, bottom = self.margins or pyte.screens.Margins(0, self.lines - 1)
            for _ in range(max(1, count)):
                if up:
                    for y in range(top, bottom):
                        self.buffer[y] = self.buffer[y + 1]
                    self.buffer.pop(bottom, None)
                else:
                    for y in range(bottom, top, -1):
                        self.buffer[y] = self.buffer[y - 1]
                    self.buffer.pop(top, None)
            self.dirty.update(range(top, bottom + 1))

        def scroll_up(self, count=1, *rest, **private):
            self.scroll(count, up=True)

        def scroll_down(self, count=1, *rest, **private):
            self.scroll(count, up=False)

        def select_graphic_rendition(self, *attrs, **private):
            mapped = []
            for attr in attrs:
                mapped += {2: [5], 22: [22, 25]}.get(attr, [attr])
            super().select_graphic_rendition(*mapped)

    class Stream(pyte.ByteStream):
        csi = dict(pyte.ByteStream.csi, b="repeat_last", S="scroll_up", T="scroll_down")

    screen = Screen(width, height)
    stream = Stream(screen)
    blank = screen.default_char
    shown = [[blank] * width for _ in range(height)]
    total = frames = 0
    for i, (now, data) in enumerate(chunks):
        stream.feed(data)
        if i + 1 < len(chunks) and chunks[i + 1][0] - now <= FRAME_GAP:
            continue
        counted = t0 <= now <= t1
        frames += counted
        for y in screen.dirty:
            if y >= height:
                continue
            line, old = screen.buffer[y], shown[y]
            row = [line[x] for x in range(width)]
            if counted:
                total += sum(len(new.data.encode()) for new, was in zip(row, old) if new != was)
            shown[y] = row
        screen.dirty.clear()
    return total / (t1 - t0), frames


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(3)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def measure_window(reader, args, cpu):
    """CPU % (from `cpu()`, seconds) and bytes/s over the measured window; the window's ends."""
    reader.pump(reader.started + args.warmup)
    cpu0, bytes0, t0 = cpu(), reader.bytes, time.monotonic()
    reader.pump(t0 + args.seconds)
    cpu1, bytes1, t1 = cpu(), reader.bytes, time.monotonic()
    return (cpu1 - cpu0) / (t1 - t0) * 100, (bytes1 - bytes0) / (t1 - t0), t0, t1


def measure_console(argv, args, env, pyte=None):
    """CPU %, bytes/s and first-frame times of a full-screen program on a pty; with pyte, the
    bytes of changed cells too."""
    started = time.monotonic()
    proc, master = spawn_on_pty(argv, args.width, args.height, env)
    reader = PtyReader(master, started)
    try:
        cpu, rate, t0, t1 = measure_window(reader, args, lambda: cpu_seconds(proc.pid))
    finally:
        stop(proc)
        os.close(master)
    result = {
        "cpu_percent": cpu,
        "bytes_per_s": rate,
        "first_byte_ms": None if reader.first_byte is None else reader.first_byte * 1000,
        "first_frame_ms": None if reader.first_frame is None else reader.first_frame * 1000,
    }
    if pyte:
        result["changed_cell_bytes_per_s"], result["frames"] = changed_cell_bytes(
            pyte, reader.chunks, args.width, args.height, t0, t1)
    return result


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


def measure_tmux(demo, args, env, pyte):
    """CPU % of a tmux server and attached client whose N panes show the demo's sessions."""
    socket = f"convtui-bench-{os.getpid()}"
    tmux = ["tmux", "-L", socket, "-f", "/dev/null"]
    work = tempfile.mkdtemp(prefix="convtui-bench-tmux-")
    fifos = [os.path.join(work, f"pane-{i + 1}") for i in range(args.sessions)]
    for path in fifos:
        os.mkfifo(path)
    feeder_path = os.path.join(work, "feeder.py")
    with open(feeder_path, "w") as f:
        f.write(FEEDER)
    source = feeder = None
    try:
        subprocess.run(tmux + ["new-session", "-d", "-s", "b", "-x", str(args.width), "-y", str(args.height),
                               "cat " + fifos[0]], check=True, env=env)
        for path in fifos[1:]:
            subprocess.run(tmux + ["split-window", "-t", "b", "cat " + path], check=True, env=env)
            subprocess.run(tmux + ["select-layout", "-t", "b", "tiled"], check=True, env=env)
        panes = len(subprocess.run(tmux + ["list-panes", "-t", "b"], capture_output=True, text=True).stdout.splitlines())
        server = int(subprocess.run(tmux + ["display-message", "-p", "-t", "b", "#{pid}"],
                                    capture_output=True, text=True, check=True).stdout)
        started = time.monotonic()
        client, master = spawn_on_pty(tmux + ["attach", "-t", "b"], args.width, args.height, env)
        source = subprocess.Popen(demo + ["--headless"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, env=env)
        feeder = subprocess.Popen([sys.executable, feeder_path] + fifos, stdin=source.stdout)
        source.stdout.close()
        reader = PtyReader(master, started)
        try:
            cpu, rate, t0, t1 = measure_window(reader, args, lambda: cpu_seconds(server) + cpu_seconds(client.pid))
        finally:
            stop(client)
            os.close(master)
    finally:
        for proc in (source, feeder):
            if proc:
                stop(proc)
        subprocess.run(tmux + ["kill-server"], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
    changed, _ = changed_cell_bytes(pyte, reader.chunks, args.width, args.height, t0, t1)
    return {"tmux_panes": panes, "tmux_cpu_percent": cpu, "tmux_bytes_per_s": rate,
            "tmux_changed_cell_bytes_per_s": changed, "tmux_bytes_vs_changed_ratio": ratio(rate, changed)}


def ratio(a, b):
    return a / b if b > 0 else None


def main():
    pyte = ensure_pyte()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="directory holding the release convtui and convtui-bench")
    parser.add_argument("--seconds", type=float, default=20, help="measured window of each case")
    parser.add_argument("--warmup", type=float, default=2, help="seconds before each window")
    parser.add_argument("--sessions", type=int, default=16)
    parser.add_argument("--pace", type=float, default=0.75, help="demo pace (0.75: about 10 events/s a pane)")
    parser.add_argument("--width", type=int, default=200)
    parser.add_argument("--height", type=int, default=60)
    parser.add_argument("--frames", type=int, default=2000, help="frames of convtui-bench view per case")
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
        view = subprocess.run([os.path.join(args.bin, "convtui-bench"), "view", "--width", str(args.width), "--height", str(args.height),
                               "--frames", str(args.frames)] + paths,
                              capture_output=True, text=True, check=True, env=env)
        for key, value in json.loads(view.stdout).items():
            result["view_" + key] = value
    finally:
        shutil.rmtree(logs, ignore_errors=True)

    demo = [convtui, "demo", "--sessions", str(args.sessions), "--no-record", "--pace", str(args.pace)]
    console = measure_console(demo, args, env, pyte)
    headless = measure_headless(demo + ["--headless"], args)
    idle = measure_console(demo[:-1] + ["100"], args, env)
    tmux = measure_tmux(demo, args, env, pyte)

    render_cpu = console["cpu_percent"] - headless
    result.update({
        "console_cpu_percent": console["cpu_percent"],
        "headless_cpu_percent": headless,
        "render_cpu_percent": render_cpu,
        "bytes_per_s": console["bytes_per_s"],
        "changed_cell_bytes_per_s": console["changed_cell_bytes_per_s"],
        "bytes_vs_changed_ratio": ratio(console["bytes_per_s"], console["changed_cell_bytes_per_s"]),
        "frames_per_s": console["frames"] / args.seconds,
        "first_byte_ms": console["first_byte_ms"],
        "first_frame_ms": console["first_frame_ms"],
        "idle_cpu_percent": idle["cpu_percent"],
        "idle_bytes_per_s": idle["bytes_per_s"],
        **tmux,
        "render_vs_tmux_ratio": ratio(render_cpu, tmux["tmux_cpu_percent"]),
        "console_vs_tmux_ratio": ratio(console["cpu_percent"], tmux["tmux_cpu_percent"]),
    })
    print(json.dumps(result))


if __name__ == "__main__":
    main()
