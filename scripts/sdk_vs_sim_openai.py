"""The scenarios of scripts/sdk-vs-sim-openai.sh: the official `openai` SDK, used as its
documentation shows, against a loopback `convtui sim-server`. Usage: sdk_vs_sim_openai.py PORT"""
import asyncio
import base64
import math
import sys

from openai import AsyncOpenAI

RATE = 24000


def tone(ms):
    count = RATE * ms // 1000
    return b"".join(int(6000 * math.sin(2 * math.pi * 440 * i / RATE)).to_bytes(2, "little", signed=True) for i in range(count))


def silence(ms):
    return bytes(RATE * ms // 1000 * 2)


def session(dialect, modality, vad=True):
    detection = {"type": "server_vad"} if vad else None
    if dialect == "ga":
        return {
            "type": "realtime",
            "output_modalities": [modality],
            "audio": {"input": {"format": {"type": "audio/pcm", "rate": RATE}, "turn_detection": detection}},
        }
    return {"modalities": ["text", "audio"] if modality == "audio" else ["text"], "input_audio_format": "pcm16", "turn_detection": detection}


class Run:
    def __init__(self, connection):
        self.connection = connection
        self.errors = []

    async def until(self, matches, timeout=15):
        async def loop():
            while True:
                event = await self.connection.recv()
                if event.type == "error":
                    self.errors.append(f"{event.error.code}: {event.error.message}")
                if matches(event):
                    return event

        return await asyncio.wait_for(loop(), timeout)

    async def append(self, pcm):
        for start in range(0, len(pcm), RATE // 10 * 2):
            await self.connection.input_audio_buffer.append(audio=base64.b64encode(pcm[start : start + RATE // 10 * 2]).decode())


async def text_turn(run, dialect):
    await run.connection.session.update(session=session(dialect, "text"))
    await run.until(lambda e: e.type == "session.updated")
    await run.connection.conversation.item.create(item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hello"}]})
    await run.connection.response.create()
    done = await run.until(lambda e: e.type == "response.done")
    assert done.response.status == "completed", done.response.status


async def audio_turn(run, dialect):
    await run.connection.session.update(session=session(dialect, "text"))
    await run.until(lambda e: e.type == "session.updated")
    await run.append(tone(500) + silence(1000))
    await run.until(lambda e: e.type == "input_audio_buffer.speech_stopped")
    done = await run.until(lambda e: e.type == "response.done")
    assert done.response.status == "completed", done.response.status


async def barge_in(run, dialect):
    await run.connection.session.update(session=session(dialect, "audio"))
    await run.until(lambda e: e.type == "session.updated")
    await run.connection.conversation.item.create(item={"type": "message", "role": "user", "content": [{"type": "input_text", "text": "talk"}]})
    await run.connection.response.create()
    delta_type = "response.output_audio.delta" if dialect == "ga" else "response.audio.delta"
    first = await run.until(lambda e: e.type == delta_type)
    heard_ms = len(base64.b64decode(first.delta)) * 1000 // (RATE * 2)
    # The user speaks over the agent: server VAD hears it and, with interrupt_response on by
    # default, cancels the response itself; the client only truncates what it played.
    await run.append(tone(300))
    await run.until(lambda e: e.type == "input_audio_buffer.speech_started")
    done = await run.until(lambda e: e.type == "response.done")
    assert done.response.status == "cancelled", done.response.status
    await run.connection.conversation.item.truncate(item_id=first.item_id, content_index=0, audio_end_ms=heard_ms)
    await run.until(lambda e: e.type == "conversation.item.truncated")
    await run.append(silence(800))
    done = await run.until(lambda e: e.type == "response.done")
    assert done.response.status == "completed", done.response.status


async def main(port):
    client = AsyncOpenAI(api_key="sk-sim", websocket_base_url=f"ws://127.0.0.1:{port}/v1")
    failures = 0
    for dialect in ("ga", "beta"):
        for scenario in (text_turn, audio_turn, barge_in):
            connect = client.realtime.connect if dialect == "ga" else client.beta.realtime.connect
            try:
                async with connect(model="echo") as connection:
                    run = Run(connection)
                    await run.until(lambda e: e.type == "session.created")
                    await scenario(run, dialect)
                    status = "ok" if not run.errors else "protocol errors: " + "; ".join(run.errors)
            except Exception as error:  # a scenario that did not finish is a failure too
                status = f"failed: {type(error).__name__}: {error}"
            failures += status != "ok"
            print(f"{dialect:4} {scenario.__name__:10} {status}")
    return failures


if __name__ == "__main__":
    sys.exit(1 if asyncio.run(main(int(sys.argv[1]))) else 0)
