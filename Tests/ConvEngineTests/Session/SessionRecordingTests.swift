import Foundation
import Glibc
import Testing
import TestSupport
@testable import ConvEngine

/// A session's log is written off its thread: a disk that blocks never slows the session, and
/// a disk that fails marks that session alone as not recording, with the OS reason, until it
/// records again.
@Suite("Session recording")
struct SessionRecordingTests {
    private final class Board {
        let writer: OutboxWriter
        let transports: [TestTransports]
        let sinks: [TestSink]
        let observed: Locked<[Int: [SessionEvent.Kind]]>
        let sessions: [ConversationSession]

        init(limit: OutboxLimit = .log) {
            let writer = OutboxWriter(name: "test-log-writer")
            let transports = (1...3).map { _ in TestTransports() }
            let sinks = (1...3).map { _ in TestSink() }
            let observed = Locked<[Int: [SessionEvent.Kind]]>([:])
            self.writer = writer
            self.transports = transports
            self.sinks = sinks
            self.observed = observed
            sessions = (1...3).map { number in
                var log = ConversationSession.LogDestination(
                    sink: sinks[number - 1], path: "/test/\(number).jsonl", writer: writer)
                log.limit = limit
                log.retryAfter = .milliseconds(5)
                return ConversationSession(
                    number: number, name: "s\(number)", backend: "test", log: log,
                    observer: { event in observed.withLock { $0[number, default: []].append(event.kind) } },
                    makeTransport: transports[number - 1].factory)
            }
        }

        func startAll() async {
            for session in sessions { session.start() }
            _ = await eventually { sessions.allSatisfy(\.phase.isLive) && sinks.allSatisfy { $0.lines.count == 2 } }
        }

        func events(_ number: Int) -> [SessionEvent.Kind] { observed.withLock { $0[number] ?? [] } }

        deinit {
            for sink in sinks { sink.open() }
            writer.stop()
        }
    }

    private static let ping = SessionEvent.Kind.ping(eventId: nil, latencyMs: 1)

    @Test func anOperatorMarkIsRecordedInAnyPhaseOnceARunStarted() async throws {
        let b = Board()
        #expect(!b.sessions[0].mark(note: "too early"), "no run, nothing to mark")
        await b.startAll()
        #expect(b.sessions[0].mark(note: "slow answer"))
        b.sessions[0].stop()
        #expect(b.sessions[0].mark(note: ""), "a stopped session still takes a mark")
        #expect(await eventually { b.sinks[0].lines.contains { $0.hasSuffix(#""type":"mark","note":""}"#) } })
        #expect(b.sinks[0].lines.contains { $0.hasSuffix(#""type":"mark","note":"slow answer"}"#) })
        #expect(b.sessions[0].snapshot.state.transcript.contains { $0.text == "◆ mark: slow answer" })
    }

    @Test func aFullDiskMarksOnlyItsSessionAndRecordingResumesWithTheGap() async throws {
        let b = Board(limit: OutboxLimit(lines: 8, bytes: 1 << 20))
        await b.startAll()
        b.sinks[1].failAlways(ENOSPC)
        for t in b.transports { t.latest?.inject(Self.ping) }
        #expect(await eventually { b.sessions[1].recordingIssue != nil })
        for _ in 2...20 { b.transports[1].latest?.inject(Self.ping) }
        // The others at a pace their (healthy) sinks keep up with.
        for n in [0, 2] {
            for i in 2...20 {
                b.transports[n].latest?.inject(Self.ping)
                _ = await eventually { b.sinks[n].lines.count >= 2 + i }
            }
        }
        #expect(b.sessions[1].recordingIssue == "No space left on device")
        #expect(b.events(2).contains(.recordingStopped(reason: "No space left on device")))
        #expect(b.sessions[1].snapshot.json["recording_error"] == "No space left on device")
        #expect(b.sessions[1].snapshot.state.transcript.contains { $0.text == "not recording: No space left on device" })
        for n in [0, 2] {
            #expect(b.sessions[n].recordingIssue == nil)
            #expect(b.sessions[n].snapshot.state.recordingFailures == 0)
            #expect(b.sessions[n].snapshot.json["recording_error"] == .null)
        }
        #expect(b.sessions.allSatisfy { $0.snapshot.state.counters.pings == 20 }, "every session kept folding its events")

        b.sinks[1].failAlways(nil)
        #expect(await eventually { b.sessions[1].recordingIssue == nil })
        let resumed = try #require(b.events(2).last { if case .recordingResumed = $0 { true } else { false } })
        guard case .recordingResumed(let lost) = resumed else { return }
        // The first ping and recording_stopped wait with 6 more pings (8 in all); 13 do not fit.
        // (On a loaded machine the writer may report the stop a line later: one more is lost.
        // The exact bound and count are OutboxTests' own.)
        #expect((13...14).contains(lost))
        #expect(b.sessions[1].snapshot.state.recordingLostLines == lost)
        #expect(await eventually { b.sinks[1].lines.last?.contains("recording_resumed") == true }, "the gap is in the log")
    }

    @Test func aBlockedDiskNeitherSlowsNorStopsTheSession() async throws {
        let b = Board(limit: OutboxLimit(lines: 64, bytes: 1 << 20))
        await b.startAll()
        b.sinks[0].block()
        b.transports[0].latest?.inject(Self.ping)
        #expect(await eventually { b.sinks[0].writesStarted > 0 })
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 1...5000 { b.transports[0].latest?.inject(Self.ping) }
        }
        #expect(elapsed < .seconds(5), "5,000 events folded while the disk is blocked")
        #expect(b.sessions[0].snapshot.state.counters.pings == 5001)
        #expect(b.sessions[0].recordingIssue?.hasPrefix("log writes are not keeping up") == true)
        #expect(b.sessions[1].recordingIssue == nil && b.sessions[2].recordingIssue == nil)
        let stopped = clock.measure { #expect(b.sessions[0].stop()) }
        #expect(stopped < .seconds(2), "stop does not wait for the disk")
        #expect(b.sessions[0].phase == .ended(reason: "stopped by operator"))
        b.sinks[0].open()
        #expect(await eventually { b.sessions[0].recordingIssue == nil }, "recording resumes once the disk answers")
    }

    @Test func closingTheLogOfAFailedDiskSaysHowManyLinesItLost() async throws {
        let b = Board()
        await b.startAll()
        b.sinks[2].failAlways(EIO)
        b.transports[2].latest?.inject(Self.ping)
        #expect(await eventually { b.sessions[2].recordingIssue != nil })
        b.sessions[2].stop()
        await b.sessions[2].closeLog(timeout: .seconds(10))
        let last = try #require(b.events(3).last)
        guard case .recordingStopped(let reason) = last else {
            Issue.record("last event \(last)")
            return
        }
        #expect(reason.hasPrefix("Input/output error; the log ends with") && reason.hasSuffix("lines not written"))
        let board = SessionBoard(b.sessions)
        #expect(board.recordingProblems().count == 1)
        #expect(board.recordingProblems().first?.hasPrefix("session 3 (s3): recording failed") == true)
    }
}
