import Testing
import TestSupport

@testable import ConvEngine

/// Push-to-talk's live audio through the send gate: it and a WAV stream refuse each other,
/// and its end sends the same trailing silence and end of turn as a WAV's.
@Suite("Live audio (push-to-talk)")
struct LiveAudioTests {
    private func chunk(_ ms: Int = 100, rate: Int = 16000, level: Int16 = 3000) -> AudioChunk {
        AudioChunk(samples: [Int16](repeating: level, count: rate * ms / 1000), sampleRate: rate)
    }

    /// What went out, in short: `sound 100`, `silence 100` (milliseconds), `end`; a failure
    /// then reads as the order of things rather than as every byte of PCM.
    private func outline(_ sent: [OutgoingMessage]) -> [String] {
        sent.map { message in
            switch message {
            case .audio(let chunk): "\(chunk.samples.allSatisfy { $0 == 0 } ? "silence" : "sound") \(chunk.durationMilliseconds)"
            case .audioStreamEnded: "end"
            default: "\(message)"
            }
        }
    }

    /// A live session whose idle audio is `idleAudio`; paced audio moves only as the test
    /// advances `clock`.
    private func liveSession(
        _ behavior: TestTransport.Behavior = .init(), idleAudio: IdleAudio = .nothing, clock: ManualClock = ManualClock()
    ) async throws -> (ConversationSession, TestTransports) {
        let transports = TestTransports(behavior)
        let session = try ConversationSession(
            number: 1, name: "talk", backend: "test", idleAudio: idleAudio, clock: clock, makeTransport: transports.factory)
        session.start()
        #expect(await eventually { session.phase.isLive })
        return (session, transports)
    }

    /// The gate's own rule, both ways, and that its release forgets which stream held it.
    @Test func theGateSaysWhichStreamHoldsIt() throws {
        var gate = SendGate()
        func refusal(_ acquire: (inout SendGate) throws -> Void) -> SendError? {
            do {
                try acquire(&gate)
                return nil
            } catch {
                return error as? SendError
            }
        }
        try gate.acquireStream(live: true)
        #expect(refusal { try $0.acquireStream() } == .talkInProgress)
        #expect(refusal { try $0.acquireChunk() } == .talkInProgress)
        gate.releaseStream()
        #expect(!gate.talking)
        try gate.acquireStream()
        #expect(refusal { try $0.acquireStream(live: true) } == .streamInProgress)
        gate.releaseStream()
        try gate.acquireChunk()
        #expect(refusal { try $0.acquireStream(live: true) } == .chunkInProgress)
    }

    @Test func talkingRefusesAWAVStreamAndChunksUntilItEnds() async throws {
        let (session, transports) = try await liveSession()
        let live = try session.streamLiveAudio(sampleRate: 16000)
        #expect(session.sendGate.talking)
        await #expect(throws: SendError.talkInProgress) { try await session.streamAudio(chunk(), pacing: .immediate) }
        await #expect(throws: SendError.talkInProgress) { try await session.sendAudioChunk(chunk()) }
        #expect(throws: SendError.talkInProgress) { try session.streamLiveAudio(sampleRate: 16000) }
        #expect(live.send(chunk()))
        live.end()
        #expect(await live.outcome == nil)
        #expect(!session.sendGate.isHeld)
        #expect(outline(transports.latest?.sent ?? []) == ["sound 100", "end"])
        // The gate is open again: a WAV goes through.
        try await session.streamAudio(chunk(), pacing: .immediate)
    }

    @Test func aStreamingWAVRefusesTalking() async throws {
        let clock = ManualClock()
        let (session, _) = try await liveSession(clock: clock)
        let wav = Task { try await session.streamAudio(chunk(300), chunkMilliseconds: 100) }
        // The WAV waits after its first chunk until the test moves the clock.
        #expect(await eventually { session.sendGate.streaming })
        #expect(throws: SendError.streamInProgress) { try session.streamLiveAudio(sampleRate: 16000) }
        #expect(!session.sendGate.talking)
        #expect(await clock.advance { !session.sendGate.isHeld })
        try await wav.value
        let live = try session.streamLiveAudio(sampleRate: 16000)
        live.end()
        #expect(await live.outcome == nil)
    }

    /// The silence after a talk is the WAV path's own: the same chunks, paced in real time
    /// from the moment the talk ended, then the end of the turn.
    @Test func endingATalkSendsTheTrailingSilenceAWAVEndsWith() async throws {
        let clock = ManualClock()
        let (session, transports) = try await liveSession(idleAudio: .trailingSilence(milliseconds: 300), clock: clock)
        let live = try session.streamLiveAudio(sampleRate: 16000, chunkMilliseconds: 100)
        live.send(chunk())
        live.send(chunk())
        #expect(await eventually { transports.latest?.sent.count == 2 }, "captured audio goes out as it comes, unpaced")
        live.end()
        // Paced: the first 100 ms of silence goes at once, the next waits for the clock.
        #expect(await eventually { transports.latest?.sent.count == 3 })
        #expect(session.sendGate.talking)
        #expect(await clock.advance { !session.sendGate.isHeld })
        #expect(await live.outcome == nil)
        let talked = transports.latest?.sent ?? []

        try await session.streamAudio(AudioChunk(pcm: chunk().pcm + chunk().pcm, sampleRate: 16000), chunkMilliseconds: 100, pacing: .immediate)
        let streamed = Array((transports.latest?.sent ?? []).dropFirst(talked.count))
        #expect(outline(talked) == ["sound 100", "sound 100", "silence 100", "silence 100", "silence 100", "end"])
        let same = talked == streamed
        #expect(same, "a talk ends as a WAV of the same audio does: \(outline(streamed))")
    }

    @Test func stoppingTheSessionEndsTheTalkAndOpensTheGate() async throws {
        let (session, transports) = try await liveSession(idleAudio: .trailingSilence(milliseconds: 300))
        let live = try session.streamLiveAudio(sampleRate: 16000)
        live.send(chunk())
        #expect(await eventually { transports.latest?.sent.count == 1 })
        session.stop()
        #expect(await live.outcome == .cancelled)
        #expect(await eventually { !session.sendGate.isHeld })
        #expect(!live.send(chunk()), "the capture learns the talk is over")
    }

    @Test func aFailedSendEndsTheTalkAndOpensTheGate() async throws {
        let (session, _) = try await liveSession(.init(failingSends: [2]))
        let live = try session.streamLiveAudio(sampleRate: 16000)
        live.send(chunk())
        live.send(chunk())
        #expect(await live.outcome == .transport("injected failure on send 2"))
        #expect(!session.sendGate.isHeld)
        try await session.sendAudioChunk(chunk())
    }

    @Test func talkingIntoASessionThatIsNotLiveIsRefused() throws {
        let session = try ConversationSession.testing(transports: TestTransports())
        #expect(throws: SendError.notLive(phase: "idle")) { try session.streamLiveAudio(sampleRate: 16000) }
        #expect(!session.sendGate.isHeld)
    }
}
