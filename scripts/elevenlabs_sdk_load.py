#!/usr/bin/env python3
"""The official ElevenLabs Python SDK under the same load as `convtui run --headless`.

Opens SESSIONS text-only `Conversation`s (no audio interface, so no audio device) against a
loopback `convtui sim-server --load` and reports on stdout when every one is connected. A
`mark` line on stdin starts counting messages; a `stop` line ends every conversation and
times how long the SDK takes until every conversation thread has been joined.

Lines on stdout (JSON), read by scripts/vs_python_sdk.py:
  {"event": "live", "connect_ms": ...}
  {"event": "stopped", "stop_all_call_ms": ..., "stop_all_until_joined_ms": ..., ...}

Runs inside the venv that scripts/bench-vs-python-sdk.sh makes (`pip install elevenlabs`).
"""

import argparse
import json
import sys
import threading
import time

from elevenlabs.client import ElevenLabs
from elevenlabs.conversational_ai.conversation import Conversation


class Counts:
    """Messages one conversation saw. Each conversation's callbacks run on its own thread,
    so a plain per-conversation counter needs no lock."""

    def __init__(self):
        self.agent_responses = 0
        self.latency_measurements = 0
        self.disconnected = False

    def agent_response(self, _text):
        self.agent_responses += 1

    def latency(self, _ms):
        self.latency_measurements += 1

    def disconnect(self, _details):
        self.disconnected = True


def emit(record):
    print(json.dumps(record), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:8765")
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--agent-id", default="ava")
    parser.add_argument("--connect-timeout", type=float, default=60.0)
    args = parser.parse_args()

    # The SDK builds ws://HOST:PORT/v1/convai/conversation?agent_id=…&source=python_sdk&version=…
    # from the HTTP base URL (elevenlabs/url_utils.py build_ws_url); the key is never sent
    # because requires_auth is False.
    client = ElevenLabs(base_url=args.base_url, api_key="sim-server-takes-no-key")
    counts = [Counts() for _ in range(args.sessions)]
    conversations = [
        Conversation(
            client,
            args.agent_id,
            requires_auth=False,
            audio_interface=None,  # text-only: the SDK then asks for text_only itself
            callback_agent_response=c.agent_response,
            callback_latency_measurement=c.latency,
            callback_disconnect=c.disconnect,
        )
        for c in counts
    ]

    started = time.monotonic()
    for conversation in conversations:
        conversation.start_session()
    deadline = started + args.connect_timeout
    while any(c._conversation_id is None for c in conversations):
        if time.monotonic() > deadline:
            connected = sum(c._conversation_id is not None for c in conversations)
            emit({"event": "error", "message": f"only {connected} of {args.sessions} connected"})
            break
        time.sleep(0.01)
    emit({"event": "live", "connect_ms": (time.monotonic() - started) * 1000})

    marked = ([0] * args.sessions, [0] * args.sessions)
    for line in sys.stdin:
        if line.strip() == "mark":
            marked = ([c.agent_responses for c in counts], [c.latency_measurements for c in counts])
        elif line.strip() == "stop":
            break
    responses = [c.agent_responses - m for c, m in zip(counts, marked[0])]
    latencies = [c.latency_measurements - m for c, m in zip(counts, marked[1])]
    lost = sum(1 for c in counts if c.disconnected)

    stop_started = time.monotonic()
    for conversation in conversations:
        conversation.end_session()
    call_ms = (time.monotonic() - stop_started) * 1000
    for conversation in conversations:
        conversation.wait_for_session_end()
    joined_ms = (time.monotonic() - stop_started) * 1000
    emit({
        "event": "stopped",
        "stop_all_call_ms": call_ms,
        "stop_all_until_joined_ms": joined_ms,
        "agent_responses": sum(responses),
        "latency_measurements": sum(latencies),
        "sessions_with_traffic": sum(1 for n in responses if n > 0),
        "disconnected_before_stop": lost,
        "threads_after_stop": threading.active_count(),
    })


if __name__ == "__main__":
    main()
