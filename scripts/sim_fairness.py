#!/usr/bin/env python3
"""Measures the sim-server's fairness: flooding clients beside one ordinary conversation.

FLOODS clients each send `user_message`s of SIZE MiB back to back to the ElevenLabs endpoint
(reading whatever the server answers, so the server does all its work), while one observer
conversation only listens. The server sends a `ping` event every 2 s to each conversation; the
observer reports the pings it got and the longest gap between them. Alone, the gap is ~2 s.

Usage: scripts/sim_fairness.py --port PORT [--floods 2] [--size 1] [--seconds 20]
Start the server first, e.g. `.build/debug/convtui sim-server --port 8765`.
Standard library only: the frames are made by hand (masked with a zero key, which RFC 6455
allows; the server unmasks them all the same).
"""
import argparse
import json
import os
import socket
import struct
import threading
import time

PATH = "/v1/convai/conversation?agent_id=ava"


def connect(port, timeout=None):
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    key = "dGhlIHNhbXBsZSBub25jZQ=="
    sock.sendall(
        f"GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            raise SystemExit("the server closed during the upgrade")
        head += chunk
    status, rest = head.split(b"\r\n\r\n", 1)
    if not status.startswith(b"HTTP/1.1 101"):
        raise SystemExit(f"upgrade refused: {status.splitlines()[0]!r}")
    return sock, rest


def frame(text):
    payload = text.encode()
    n = len(payload)
    if n < 126:
        header = struct.pack("!BB", 0x81, 0x80 | n)
    elif n < 65536:
        header = struct.pack("!BBH", 0x81, 0x80 | 126, n)
    else:
        header = struct.pack("!BBQ", 0x81, 0x80 | 127, n)
    return header + b"\0\0\0\0" + payload


class Reader:
    """Server frames, one at a time (the server's frames are unmasked)."""

    def __init__(self, sock, pending):
        self.sock = sock
        self.buffer = bytearray(pending)

    def _need(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                return False
            self.buffer += chunk
        return True

    def next(self):
        """(opcode, payload) or None at the end of the stream."""
        if not self._need(2):
            return None
        length = self.buffer[1] & 0x7F
        header = 2 + {126: 2, 127: 8}.get(length, 0)
        if not self._need(header):
            return None
        if length == 126:
            length = struct.unpack("!H", self.buffer[2:4])[0]
        elif length == 127:
            length = struct.unpack("!Q", self.buffer[2:10])[0]
        if not self._need(header + length):
            return None
        opcode = self.buffer[0] & 0x0F
        payload = bytes(self.buffer[header : header + length])
        del self.buffer[: header + length]
        return opcode, payload


def flood(port, size, stop, sent):
    sock, pending = connect(port)
    threading.Thread(target=drain, args=(Reader(sock, pending),), daemon=True).start()
    message = frame(json.dumps({"type": "user_message", "text": "a" * (size - 40)}))
    try:
        while not stop.is_set():
            sock.sendall(message)
            sent.append(len(message))
    except OSError:
        pass


def drain(reader):
    try:
        while reader.next() is not None:
            pass
    except OSError:
        pass


def observe(port, seconds):
    """The times (since it connected) of the pings one quiet conversation gets, or None if
    its upgrade was not answered within `seconds`."""
    started = time.monotonic()
    try:
        sock, pending = connect(port, timeout=seconds)
    except socket.timeout:
        return None
    sock.sendall(frame(json.dumps({"type": "conversation_initiation_client_data"})))
    reader = Reader(sock, pending)
    sock.settimeout(0.5)
    pings = []
    while time.monotonic() - started < seconds:
        try:
            got = reader.next()
        except socket.timeout:
            continue
        if got is None:
            break
        opcode, payload = got
        if opcode == 1 and json.loads(payload).get("type") == "ping":
            pings.append(time.monotonic() - started)
    sock.close()
    return pings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--floods", type=int, default=2)
    parser.add_argument("--size", type=float, default=1, help="MiB per user_message")
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    size = int(args.size * (1 << 20))
    stop = threading.Event()
    sent = []
    for _ in range(args.floods):
        threading.Thread(target=flood, args=(args.port, size, stop, sent), daemon=True).start()
    time.sleep(0.5)
    cpu = os.times()
    pings = observe(args.port, args.seconds)
    stop.set()
    if pings is None:
        print(json.dumps({"floods": args.floods, "message_mib": args.size, "seconds": args.seconds,
                          "messages_sent": len(sent), "upgrade_answered": False}))
        return
    gaps = [b - a for a, b in zip([0.0] + pings, pings + [args.seconds])]
    print(json.dumps({
        "floods": args.floods, "message_mib": args.size, "seconds": args.seconds,
        "messages_sent": len(sent), "mib_sent": round(sum(sent) / (1 << 20), 1),
        "pings": len(pings), "longest_gap_s": round(max(gaps), 2),
        "ping_times_s": [round(t, 2) for t in pings],
        "client_cpu_s": round(os.times().user - cpu.user, 1),
    }))


if __name__ == "__main__":
    main()
