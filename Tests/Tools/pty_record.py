#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal and records every byte it writes to the terminal.

    pty_record.py --rows 40 --cols 120 --output FILE -- COMMAND [ARGS...]

The terminal has the given size before the command starts. Bytes arriving on this script's
stdin are typed into the terminal (keys); everything the command writes goes unchanged to
FILE, flushed as it arrives, so a test can watch it. Exits with the command's status.
Standard library only, like hostile_server.py beside it.
"""

import argparse
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=40)
    parser.add_argument("--cols", type=int, default=120)
    parser.add_argument("--output", required=True)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    # A test runner's threads block signals and a spawned process inherits the mask: start
    # the command with none blocked, as a shell would, and let SIGTERM end this script.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])

    pid, master = pty.fork()
    if pid == 0:
        # In the child, stdin is the terminal: size it before the program can ask.
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", args.rows, args.cols, 0, 0))
        os.execvp(command[0], command)

    watched = [master, sys.stdin.fileno()]
    with open(args.output, "wb") as output:
        while True:
            ready, _, _ = select.select(watched, [], [])
            if master in ready:
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: the command closed the terminal (it exited)
                    break
                if not data:
                    break
                output.write(data)
                output.flush()
            if sys.stdin.fileno() in ready:
                keys = os.read(sys.stdin.fileno(), 1024)
                if keys:
                    os.write(master, keys)
                else:
                    watched.remove(sys.stdin.fileno())
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
