#!/usr/bin/env python3
"""A hostile WebSocket server for convtui's reliability tests.

Written independently of convtui: the standard library only (no WebSocket package), with
the handshake and every frame made by hand, so it can send what a well-behaved WebSocket
library never would: a frame cut off by a TCP reset, a frame over the client's size limit,
a flood as fast as the kernel takes it, terminal escapes and invalid UTF-8 in text.

It speaks just enough of the two wire protocols convtui talks:

    ws://HOST:PORT/v1/convai/conversation?agent_id=BEHAVIOUR   ElevenLabs agents
    ws://HOST:PORT/v1/realtime?model=BEHAVIOUR                 OpenAI Realtime (GA)
    ws://HOST:PORT/v1/watch                                    a convtui agent that says hello,
                                                               then nothing, and never reads
                                                               (its pings go unanswered)

and the agent id or model picks what that connection gets after its opening event
(metadata, session.created):

    steady          the opening event, then one agent text every 100 ms on a fixed schedule
    reset-header    three agent texts, then 1 byte of a frame header and a TCP reset
    reset-payload   three agent texts, then a header announcing 4000 bytes, 100 of them,
                    and a TCP reset
    wrong-shape     valid JSON of the wrong shape (Protocol.wrong_shapes), the text
                    "after wrong shapes", then steady
    big             one agent audio frame of 17.3 MiB (BIG_AUDIO_BYTES of audio in base64),
                    then steady
    too-big         one agent text, then one frame of TOO_BIG_FRAME_BYTES (over 32 MiB)
    too-big-fragmented  the same message in three frames, each under the limit
    flood-N-B       N agent audio frames of about B bytes each as fast as the socket takes
                    them, then the text "flood done", then steady
    huge-numbers    figures no counter can hold (Protocol.huge_numbers): token counts as
                    strings, past 2^63 and negative, 1100 usages of 8999999999999999 (their
                    sum passes 2^63), ids past 2^53; then the text "after huge numbers", steady
    huge-text-N     N agent texts of 20 MiB each (over the 1 MiB an event keeps), then the
                    text "after huge text", then steady
    escapes         terminal escapes, C1 controls, bidi and zero-width characters and invalid
                    UTF-8 in every text field the protocol has, then steady; OpenAI closes
                    with code 4000 and a hostile reason after one second

Usage: hostile_server.py [--port 0]. Prints "listening on PORT" once it accepts connections.
"""

import argparse
import base64
import hashlib
import json
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
STEADY_INTERVAL = 0.1
# 17.3 MiB once in base64: over 16 MiB on the wire, under convtui's 32 MiB limit.
BIG_AUDIO_BYTES = 13 * 1024 * 1024
# Over convtui's 32 MiB limit (WebSocketTransport.maxMessageBytes): must fail that session.
TOO_BIG_FRAME_BYTES = 33 * 1024 * 1024

# OSC 0 title, OSC 52 clipboard write, CSI clear, CR, BS, BEL, C1 CSI, RLO, ZWJ.
HOSTILE = "\x1b]0;pwned\x07\x1b]52;c;cHduZWQ=\x1b\\\x1b[2J\r\b\x07\x9b31m\u202eevil\u200d"


def frame(payload, opcode=1, fin=True):
    """One unmasked server frame (a fragment of a message unless `fin`)."""
    header = bytes([(0x80 if fin else 0) | opcode])
    n = len(payload)
    if n < 126:
        header += bytes([n])
    elif n < 65536:
        header += bytes([126]) + struct.pack("!H", n)
    else:
        header += bytes([127]) + struct.pack("!Q", n)
    return header + payload


def text(value):
    return frame(json.dumps(value).encode())


def raw_text(payload):
    """A text frame whose payload is sent byte for byte (raw controls, invalid UTF-8)."""
    return frame(payload)


class Protocol:
    """The frames of one protocol that the behaviours need."""

    def __init__(self, kind):
        self.kind = kind

    def opening(self, conversation_id):
        if self.kind == "elevenlabs":
            return text({"type": "conversation_initiation_metadata",
                         "conversation_initiation_metadata_event": {
                             "conversation_id": conversation_id,
                             "agent_output_audio_format": "pcm_16000",
                             "user_input_audio_format": "pcm_16000"}})
        return text({"type": "session.created", "event_id": "ev_0",
                     "session": {"id": conversation_id, "type": "realtime"}})

    def agent_text(self, words, number):
        if self.kind == "elevenlabs":
            return text({"type": "agent_response",
                         "agent_response_event": {"agent_response": words, "event_id": number}})
        return text({"type": "response.output_text.done", "response_id": "resp_%d" % number, "text": words})

    def agent_audio(self, base64_audio, number):
        if self.kind == "elevenlabs":
            return text({"type": "audio", "audio_event": {"audio_base_64": base64_audio, "event_id": number}})
        return text({"type": "response.output_audio.delta", "response_id": "resp_%d" % number,
                     "item_id": "item_%d" % number, "output_index": 0, "content_index": 0, "delta": base64_audio})

    def wrong_shapes(self):
        """Valid JSON that no frame of this protocol looks like."""
        common = [[], [1, 2, 3], "agent_response", 42, None, {"type": 42}, {"type": None}, {}]
        if self.kind == "elevenlabs":
            return common + [
                {"type": "agent_response", "agent_response_event": 42},
                {"type": "agent_response", "agent_response_event": [1, 2]},
                {"type": "agent_response", "agent_response_event": {"agent_response": 42, "event_id": 7}},
                {"type": "agent_response"},
                {"type": "user_transcript", "user_transcription_event": "text"},
                {"type": "audio", "audio_event": {"audio_base_64": [1, 2], "event_id": 3}},
                {"type": "client_tool_call", "client_tool_call": {"tool_name": {"a": 1}}},
                {"type": "conversation_initiation_metadata", "conversation_initiation_metadata_event": {}},
                {"type": "ping", "ping_event": "often"},
            ]
        return common + [
            {"type": "response.output_text.delta", "delta": 42},
            {"type": "response.output_text.delta"},
            {"type": "response.output_audio.delta", "delta": {"pcm": 1}},
            {"type": "session.created", "session": [1]},
            {"type": "response.done", "response": "done"},
            {"type": "response.function_call_arguments.done", "name": 42, "call_id": [], "arguments": {}},
            {"type": "error", "error": "boom"},
        ]

    def huge_numbers(self):
        """Frames whose numbers overflow a 64-bit sum or are not numbers at all."""
        if self.kind == "elevenlabs":
            frames = [
                {"type": "ping", "ping_event": {"event_id": "9223372036854775807", "ping_ms": 9223372036854775807}},
                {"type": "ping", "ping_event": {"event_id": -9223372036854775808, "ping_ms": "-9223372036854775808"}},
                {"type": "audio", "audio_event": {"audio_base_64": "AAAA", "event_id": 1e300}},
                {"type": "interruption", "interruption_event": {"event_id": "-9223372036854775808"}},
            ]
            return [text(f) for f in frames] * 3

        def usage(value):
            return text({"type": "response.done", "response": {"id": "r", "status": "completed",
                                                               "usage": {"input_tokens": value, "output_tokens": value}}})
        out = [usage(v) for v in ("9223372036854775807", 9223372036854775807, -5, 1e300, 2.5, [1])]
        # Json can spell what Python's json module will not: an integer past 2^64.
        out.append(raw_text(b'{"type":"response.done","response":{"id":"r","status":"completed",'
                            b'"usage":{"input_tokens":184467440737095516150,"output_tokens":1}}}'))
        out += [usage(8999999999999999)] * 1100
        return out

    def hostile(self):
        """Every text field of the protocol, each carrying HOSTILE."""
        h = HOSTILE
        if self.kind == "elevenlabs":
            frames = [
                {"type": "user_transcript", "user_transcription_event": {"user_transcript": "u" + h, "event_id": 1}},
                {"type": "agent_response", "agent_response_event": {"agent_response": "a" + h, "event_id": 2}},
                {"type": "agent_chat_response_part", "text_response_part": {"text": "p" + h, "type": "start", "event_id": 3}},
                {"type": "agent_chat_response_part", "text_response_part": {"text": "", "type": "stop", "event_id": 3}},
                {"type": "agent_response_correction", "agent_response_correction_event": {
                    "original_agent_response": "o" + h, "corrected_agent_response": "c" + h, "event_id": 4}},
                {"type": "client_tool_call", "client_tool_call": {
                    "tool_name": "tool" + h, "tool_call_id": "call" + h, "parameters": {"k" + h: "v" + h}, "event_id": 5}},
                {"type": "error", "error_event": {"code": "e" + h, "message": "m" + h}},
                {"type": "x" + h},
            ]
        else:
            frames = [
                {"type": "conversation.item.input_audio_transcription.completed", "item_id": "i" + h, "transcript": "u" + h},
                {"type": "response.created", "response": {"id": "r" + h, "status": "in_progress"}},
                {"type": "response.output_text.delta", "response_id": "r" + h, "delta": "a" + h},
                {"type": "response.output_text.done", "response_id": "r" + h, "text": "a" + h},
                {"type": "response.function_call_arguments.done", "call_id": "call" + h, "name": "tool" + h, "arguments": "{}" + h},
                {"type": "error", "error": {"type": "t" + h, "code": "e" + h, "message": "m" + h}},
                {"type": "rate_limits.updated", "rate_limits": [{"name": "n" + h, "limit": 1, "remaining": 0}]},
                {"type": "x" + h},
            ]
        out = [text(f) for f in frames]
        # A raw C1 byte and invalid UTF-8 (overlong, surrogate, 0xFF) inside a JSON string.
        words = b"bad \x9b31m \xc0\xaf \xed\xa0\x80 \xff \xe2\x80\xae"
        if self.kind == "elevenlabs":
            out.append(raw_text(b'{"type":"agent_response","agent_response_event":{"agent_response":"' + words + b'","event_id":6}}'))
        else:
            out.append(raw_text(b'{"type":"response.output_text.done","response_id":"r","text":"' + words + b'"}'))
        # Raw control bytes in a JSON string are not JSON: the frame is malformed, and the
        # excerpt of it that convtui shows must be inert too.
        out.append(raw_text(b'{"type":"agent_response","x":"\x1b]0;pwned\x07\x1b[2J\x9b"}'))
        return out


class Connection:
    def __init__(self, sock, protocol, behaviour, number):
        self.sock = sock
        self.protocol = protocol
        self.behaviour = behaviour
        self.number = number
        self.lock = threading.Lock()
        self.closed = threading.Event()

    def send(self, data):
        with self.lock:
            self.sock.sendall(data)

    def read_client(self):
        """Reads and discards the client's frames; answers pings and the close handshake."""
        buffer = b""
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                buffer += chunk
                while True:
                    parsed = parse_client_frame(buffer)
                    if parsed is None:
                        break
                    opcode, payload, used = parsed
                    buffer = buffer[used:]
                    if opcode == 9:
                        self.send(frame(payload, opcode=10))
                    elif opcode == 8:
                        self.send(frame(payload[:2], opcode=8))
                        return
        except OSError:
            pass
        finally:
            self.closed.set()

    def steady(self, words="steady"):
        start = time.monotonic()
        k = 0
        while not self.closed.is_set():
            k += 1
            # A fixed schedule, so a late tick is made up and the rate stays 10 per second.
            delay = start + k * STEADY_INTERVAL - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self.send(self.protocol.agent_text("%s %d" % (words, k), 1000 + k))

    def reset(self, partial):
        for k in range(1, 4):
            self.send(self.protocol.agent_text("before reset %d" % k, k))
        time.sleep(0.5)
        self.send(partial)
        time.sleep(0.2)
        # SO_LINGER with a zero timeout: close() sends RST instead of FIN.
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()

    def run(self):
        b = self.behaviour
        self.send(self.protocol.opening("conv_hostile_%d" % self.number if b != "escapes" else "c" + HOSTILE))
        if b == "steady":
            self.steady()
        elif b == "reset-header":
            self.reset(b"\x81")
        elif b == "reset-payload":
            self.reset(b"\x81\x7e" + struct.pack("!H", 4000) + b'{"type":"agent_response"' + b" " * 76)
        elif b == "wrong-shape":
            for value in self.protocol.wrong_shapes():
                self.send(text(value))
            self.send(self.protocol.agent_text("after wrong shapes", 900))
            self.steady()
        elif b == "big":
            audio = base64.b64encode(b"\x00" * BIG_AUDIO_BYTES).decode()
            self.send(self.protocol.agent_audio(audio, 1))
            self.send(self.protocol.agent_text("after big", 2))
            self.steady()
        elif b in ("too-big", "too-big-fragmented"):
            self.send(self.protocol.agent_text("before too-big", 1))
            time.sleep(0.3)
            if b == "too-big":
                self.send(raw_text(b"x" * TOO_BIG_FRAME_BYTES))
            else:
                # Each frame under the limit, the message they make over it.
                piece = b"x" * (TOO_BIG_FRAME_BYTES // 3 + 1)
                self.send(frame(piece, fin=False) + frame(piece, opcode=0, fin=False) + frame(piece, opcode=0))
            self.steady()
        elif b.startswith("flood"):
            _, count, size = (b.split("-") + ["50000", "2000"])[:3]
            audio = base64.b64encode(b"\x00" * (int(size) * 3 // 4)).decode()
            # Built first, then handed to the kernel in large writes: as fast as the socket goes.
            burst = b"".join(self.protocol.agent_audio(audio, k) for k in range(1, int(count) + 1))
            self.send(burst)
            self.send(self.protocol.agent_text("flood done", 0))
            self.steady()
        elif b == "huge-numbers":
            for data in self.protocol.huge_numbers():
                self.send(data)
            self.send(self.protocol.agent_text("after huge numbers", 7))
            self.steady()
        elif b.startswith("huge-text"):
            count = int(b.split("-")[2]) if b.count("-") == 2 else 1
            words = "y" * (20 * 1024 * 1024)
            for k in range(count):
                self.send(self.protocol.agent_text(words, 100 + k))
            self.send(self.protocol.agent_text("after huge text", 8))
            self.steady()
        elif b == "escapes":
            for data in self.protocol.hostile():
                self.send(data)
            if self.protocol.kind == "openai":
                time.sleep(1)
                reason = ("r" + HOSTILE).encode()[:120]
                self.send(frame(struct.pack("!H", 4000) + reason, opcode=8))
                self.closed.wait(2)
            else:
                self.steady("hostile steady")
        else:
            self.send(frame(struct.pack("!H", 1008) + b"unknown behaviour", opcode=8))


def parse_client_frame(buffer):
    """(opcode, unmasked payload, bytes used) of the first complete frame, or None."""
    if len(buffer) < 2:
        return None
    opcode = buffer[0] & 0x0F
    masked = buffer[1] & 0x80
    n = buffer[1] & 0x7F
    at = 2
    if n == 126:
        if len(buffer) < 4:
            return None
        n = struct.unpack("!H", buffer[2:4])[0]
        at = 4
    elif n == 127:
        if len(buffer) < 10:
            return None
        n = struct.unpack("!Q", buffer[2:10])[0]
        at = 10
    mask = b""
    if masked:
        mask = buffer[at:at + 4]
        at += 4
    if len(buffer) < at + n:
        return None
    payload = buffer[at:at + n]
    if masked:
        payload = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
    return opcode, payload, at + n


def handshake(sock):
    """Reads the upgrade request and accepts it; returns (protocol, behaviour)."""
    request = b""
    while b"\r\n\r\n" not in request:
        chunk = sock.recv(4096)
        if not chunk:
            raise OSError("closed during the handshake")
        request += chunk
    lines = request.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
    target = lines[0].split(" ")[1]
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:] if ":" in line)}
    url = urllib.parse.urlsplit(target)
    query = urllib.parse.parse_qs(url.query)
    if url.path.endswith("/v1/watch"):
        protocol, behaviour = None, "silent-watch"
    elif url.path.endswith("/realtime"):
        protocol, behaviour = Protocol("openai"), query.get("model", ["steady"])[0]
    else:
        protocol, behaviour = Protocol("elevenlabs"), query.get("agent_id", ["steady"])[0]
    accept = base64.b64encode(hashlib.sha1((headers["sec-websocket-key"] + WS_GUID).encode()).digest()).decode()
    sock.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Accept: %s\r\n\r\n" % accept).encode())
    return protocol, behaviour


def serve(sock, number):
    try:
        protocol, behaviour = handshake(sock)
        if behaviour == "silent-watch":
            sock.sendall(text({"type": "watch", "agent": "silent", "first": 1, "next": 1, "missed": 0}))
            # Like a host that vanished: the socket stays open, nothing is read or answered.
            time.sleep(3600)
            return
        connection = Connection(sock, protocol, behaviour, number)
        # Not beside a reset: a thread blocked in recv() holds the socket open past close(),
        # which would delay the reset until the client sent something.
        if not behaviour.startswith("reset"):
            threading.Thread(target=connection.read_client, daemon=True).start()
        connection.run()
    except OSError:
        pass  # the client went away: nothing more to do for this connection
    finally:
        try:
            sock.close()
        except OSError:
            pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    # A test runner's threads block signals and a spawned process inherits the mask: without
    # this, the SIGTERM that ends the server after a test would wait forever.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    listener.listen(64)
    print("listening on %d" % listener.getsockname()[1], flush=True)
    number = 0
    while True:
        sock, _ = listener.accept()
        number += 1
        threading.Thread(target=serve, args=(sock, number), daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
