#!/usr/bin/env python3
"""The official `elevenlabs` Python SDK against convtui's strict sim-server (ElevenLabs side).

Run by scripts/sdk-vs-sim-elevenlabs.sh, which starts the server. Four conversations:
  text        a typed message is answered
  audio       a tone then one second of silence (250 ms chunks, real time) is heard as a turn
  signed-url  a private agent through a signed URL fetched with the API key
  override    an override the agent does not allow is refused: close 1008 override_error
A protocol error is any `error` event the SDK receives, or any close, that the case does not
expect; the script prints one line per case and exits non-zero on any error.
"""
import argparse
import json
import math
import struct
import sys
import threading
import time

from elevenlabs.client import ElevenLabs
from elevenlabs.conversational_ai.conversation import AudioInterface, Conversation, ConversationInitiationData

TIMEOUT = 15


class FeedAudio(AudioInterface):
    """Sends the given 16 kHz PCM16 audio in 250 ms chunks in real time, then silence, as a
    microphone would, and counts the agent audio it gets."""

    def __init__(self, pcm, stream_silence=True):
        self.pcm = pcm
        self.stream_silence = stream_silence
        self.received = 0
        self.stopped = threading.Event()

    def start(self, input_callback):
        def pump():
            chunk = 8000  # 250 ms of PCM16 at 16 kHz
            for offset in range(0, len(self.pcm), chunk):
                if self.stopped.is_set():
                    return
                input_callback(self.pcm[offset:offset + chunk])
                time.sleep(0.25)
            while self.stream_silence and not self.stopped.is_set():
                input_callback(bytes(chunk))
                time.sleep(0.25)
        threading.Thread(target=pump, daemon=True).start()

    def stop(self):
        self.stopped.set()

    def output(self, audio):
        self.received += len(audio)

    def interrupt(self):
        pass


def tone(seconds=0.6, rate=16000):
    return b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate))) for i in range(int(seconds * rate)))


class Case:
    """One conversation: what the SDK saw, with every error event recorded."""

    def __init__(self, name, client, agent_id, requires_auth=False, audio=None, config=None):
        self.name = name
        self.responses = []
        self.transcripts = []
        self.errors = []
        self.disconnect = None
        self.ended = threading.Event()
        self.conversation = Conversation(
            client, agent_id, requires_auth=requires_auth, audio_interface=audio, config=config,
            callback_agent_response=self.responses.append, callback_user_transcript=self.transcripts.append,
            callback_disconnect=self.on_disconnect)
        # The SDK ignores `error` events; record them on the way in.
        handle = self.conversation._handle_message

        def recording(message, ws):
            if message.get("type") == "error":
                self.errors.append(message.get("error_event", {}))
            return handle(message, ws)
        self.conversation._handle_message = recording

    def on_disconnect(self, details):
        self.disconnect = details
        self.ended.set()

    def wait(self, condition):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline and not condition() and not self.ended.is_set():
            time.sleep(0.05)
        return condition()

    def finish(self):
        if not self.ended.is_set():
            self.conversation.end_session()
        self.conversation.wait_for_session_end()


def run(base_url, api_key):
    client = ElevenLabs(api_key=api_key, base_url=base_url)
    failures = []

    def check(case, ok, detail):
        unexpected = [e for e in case.errors if case.name != "override"]
        closed = case.disconnect and case.disconnect.reason == "error" and case.name != "override"
        good = ok and not unexpected and not closed
        print(json.dumps({"case": case.name, "ok": good, "detail": detail, "errors": case.errors,
                          "close": case.disconnect and [case.disconnect.close_code, case.disconnect.close_reason]}))
        if not good:
            failures.append(case.name)

    text = Case("text", client, "echo", audio=FeedAudio(b""))
    text.conversation.start_session()
    time.sleep(0.3)
    text.conversation.send_user_message("hello from the sdk")
    check(text, text.wait(lambda: any("hello from the sdk" in r for r in text.responses)), f"{len(text.responses)} responses")
    text.finish()

    feed = FeedAudio(tone())
    audio = Case("audio", client, "echo", audio=feed)
    audio.conversation.start_session()
    heard = audio.wait(lambda: audio.transcripts and any("I heard your audio" in r for r in audio.responses))
    audio.wait(lambda: feed.received > 0)
    check(audio, heard and feed.received > 0, f"{len(audio.transcripts)} transcripts, {feed.received} agent audio bytes")
    audio.finish()

    signed = Case("signed-url", client, "private-agent", requires_auth=True, audio=FeedAudio(b""))
    signed.conversation.start_session()
    time.sleep(0.3)
    signed.conversation.send_user_message("signed hello")
    check(signed, signed.wait(lambda: any("signed hello" in r for r in signed.responses)), f"{len(signed.responses)} responses")
    signed.finish()

    refused = Case("override", client, "echo", audio=FeedAudio(b""),
                   config=ConversationInitiationData(conversation_config_override={"agent": {"first_message": "Hi!"}}))
    refused.conversation.start_session()
    refused.ended.wait(TIMEOUT)
    details = refused.disconnect
    ok = (details is not None and details.close_code == 1008 and "override_error" in (details.close_reason or "")
          and [e.get("error_type") for e in refused.errors] == ["override_error"] and not refused.responses)
    check(refused, ok, "refused with 1008 override_error" if ok else "not refused as expected")
    refused.finish()

    print(json.dumps({"protocol_errors": len(failures), "failed": failures}))
    return 1 if failures else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--api-key", required=True)
    args = parser.parse_args()
    sys.exit(run(args.base_url, args.api_key))
