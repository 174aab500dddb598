import Testing
import TestSupport
@testable import ConvEngine

/// Event offsets are the session's injected clock's time since the session was made, so a test
/// that advances a manual clock reads exact offsets.
@Suite("Session clock")
struct SessionClockTests {
    @Test func offsetsAreTheInjectedClocksTime() async throws {
        let clock = ManualClock()
        let events = Locked<[SessionEvent]>([])
        let transports = TestTransports()
        let session = ConversationSession(
            number: 1, name: "timed", backend: "test", log: nil, observer: { event in events.withLock { $0.append(event) } },
            clock: ElapsedClock(clock), makeTransport: transports.factory)
        clock.advance(by: .milliseconds(250))
        session.start()
        #expect(await eventually { session.phase.isLive })
        clock.advance(by: .milliseconds(1_250))
        try await session.sendText("now")
        #expect(session.currentOffset() == 1_500_000)
        let stream = Task { try await session.streamAudio(AudioChunk.silence(milliseconds: 60, sampleRate: 16000), chunkMilliseconds: 20) }
        func offsets(_ type: String) -> [Int64] {
            events.withLock { $0 }.filter { $0.kind.typeName == type }.map(\.offset)
        }
        // Each 20 ms chunk goes out when the clock reaches its time, and not before.
        for sent in 1...3 {
            #expect(await eventually { offsets("user_audio").count == sent })
            clock.advance(by: .milliseconds(20))
        }
        try await stream.value
        #expect(offsets("run_started") == [250_000])
        #expect(offsets("user_message") == [1_500_000])
        #expect(offsets("user_audio") == [1_500_000, 1_520_000, 1_540_000])
        #expect(session.currentOffset() == 1_560_000)
        session.stop()
    }
}
