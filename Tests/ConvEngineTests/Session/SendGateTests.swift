import Testing
@testable import ConvEngine
import TestSupport

/// The second classic bug: a "sending audio" flag not released on every path.
@Suite("Send gate")
struct SendGateTests {
    private func chunk(_ ms: Int = 20, rate: Int = 16000) -> AudioChunk {
        AudioChunk(samples: [Int16](repeating: 100, count: rate * ms / 1000), sampleRate: rate)
    }

    /// A live session; its paced audio moves only as far as the test advances `clock`.
    private func liveSession(
        _ behavior: TestTransport.Behavior = .init(), clock: ManualClock = ManualClock()
    ) async throws -> (ConversationSession, TestTransports) {
        let transports = TestTransports(behavior)
        let session = try ConversationSession.testing(transports: transports, clock: clock)
        session.start()
        #expect(await eventually { session.phase.isLive })
        return (session, transports)
    }

    @Test func threeChunksBackToBackAllGoOut() async throws {
        let (session, transports) = try await liveSession()
        for _ in 0..<3 { try await session.sendAudioChunk(chunk()) }
        #expect(transports.latest?.sent.count == 3)
        #expect(!session.sendGate.isHeld)
        #expect(session.snapshot.state.counters.eventsOut == 3)
    }

    @Test func cancelledStreamReleasesTheGate() async throws {
        let clock = ManualClock()
        let (session, transports) = try await liveSession(clock: clock)
        let audio = chunk(2000)
        let stream = Task { try await session.streamAudio(audio, chunkMilliseconds: 20) }
        #expect(await clock.advance { (transports.latest?.sent.count ?? 0) >= 3 })
        #expect(session.sendGate.streaming)
        stream.cancel()
        await #expect(throws: SendError.cancelled) { try await stream.value }
        #expect(!session.sendGate.isHeld)
        try await session.sendAudioChunk(chunk())
    }

    @Test func transportErrorMidStreamReleasesTheGate() async throws {
        let (session, _) = try await liveSession(.init(failingSends: [3]))
        await #expect(throws: SendError.transport("injected failure on send 3")) {
            try await session.streamAudio(chunk(200), chunkMilliseconds: 20, pacing: .immediate)
        }
        #expect(!session.sendGate.isHeld)
        try await session.sendAudioChunk(chunk())
    }

    @Test func transportErrorOnChunkReleasesTheGate() async throws {
        let (session, transports) = try await liveSession(.init(failingSends: [1]))
        await #expect(throws: SendError.transport("injected failure on send 1")) { try await session.sendAudioChunk(chunk()) }
        #expect(!session.sendGate.isHeld)
        try await session.sendAudioChunk(chunk())
        #expect(transports.latest?.sent.count == 1)
    }

    @Test func cancelledChunkReleasesTheGate() async throws {
        let (session, _) = try await liveSession(.init(sendDelay: .seconds(5)))
        let audio = chunk()
        let send = Task { try await session.sendAudioChunk(audio) }
        #expect(await eventually { session.sendGate.chunksInFlight == 1 })
        send.cancel()
        await #expect(throws: SendError.cancelled) { try await send.value }
        #expect(!session.sendGate.isHeld)
    }

    @Test func chunkDuringStreamIsRefusedAndStreamCompletes() async throws {
        let clock = ManualClock()
        let (session, transports) = try await liveSession(clock: clock)
        let audio = chunk(300)
        let stream = Task { try await session.streamAudio(audio, chunkMilliseconds: 50) }
        // The stream waits after its first chunk until the test moves the clock.
        #expect(await eventually { session.sendGate.streaming })
        await #expect(throws: SendError.streamInProgress) { try await session.sendAudioChunk(chunk()) }
        await #expect(throws: SendError.streamInProgress) { try await session.streamAudio(chunk(), pacing: .immediate) }
        #expect(await clock.advance { !session.sendGate.isHeld })
        try await stream.value
        #expect(!session.sendGate.isHeld)
        let sent = transports.latest?.sent ?? []
        #expect(sent.count == 7, "6 chunks of 50 ms and the end-of-stream marker")
        #expect(sent.last == .audioStreamEnded)
    }

    @Test func stoppingTheSessionEndsItsStreamAndReleasesTheGate() async throws {
        let (session, _) = try await liveSession()
        let audio = chunk(5000)
        let stream = Task { try await session.streamAudio(audio, chunkMilliseconds: 20) }
        #expect(await eventually { session.sendGate.streaming })
        session.stop()
        await #expect(throws: SendError.self) { try await stream.value }
        #expect(await eventually { !session.sendGate.isHeld })
    }

    @Test func sendingWhenNotLiveIsRefused() async throws {
        let session = try ConversationSession.testing(transports: TestTransports())
        await #expect(throws: SendError.notLive(phase: "idle")) { try await session.sendText("hi") }
        await #expect(throws: SendError.notLive(phase: "idle")) { try await session.sendAudioChunk(chunk()) }
        #expect(!session.sendGate.isHeld)
    }

    @Test func twoSessionsSendingAtOnceStayIndependent() async throws {
        let clock = ManualClock()
        let (a, transportsA) = try await liveSession(clock: clock)
        let (b, transportsB) = try await liveSession(clock: clock)
        let audio = chunk(200)
        let streamA = Task { try await a.streamAudio(audio, chunkMilliseconds: 20) }
        #expect(await eventually { a.sendGate.streaming })
        // B is not affected by A's stream: chunks and its own stream go through.
        try await b.sendAudioChunk(chunk())
        try await b.streamAudio(chunk(100), chunkMilliseconds: 20, pacing: .immediate)
        #expect(!b.sendGate.isHeld)
        #expect(a.sendGate.streaming)
        #expect(await clock.advance { !a.sendGate.isHeld })
        try await streamA.value
        #expect(!a.sendGate.isHeld)
        #expect(transportsA.latest?.sent.count == 11)
        #expect(transportsB.latest?.sent.count == 7)
    }

    @Test func textIsSanitizedAndRecorded() async throws {
        let (session, transports) = try await liveSession()
        try await session.sendText("hi \u{1B}[2J there")
        #expect(transports.latest?.sent == [.userText("hi ␛[2J there")])
        #expect(session.snapshot.state.transcript.last?.text == "hi ␛[2J there")
        #expect(session.snapshot.state.transcript.last?.role == .user)
    }
}
