import Foundation
import Glibc
import Testing
import TestSupport
@testable import ConvEngine

/// An outbox takes lines without waiting for its sink, drops exactly what does not fit, says
/// so once it has caught up, retries a failing log and joins many lines into one write.
@Suite("Outbox")
struct OutboxTests {
    /// A writer of the test's own (a blocked sink must not hold up another test's logs).
    private final class Fixture {
        let writer: OutboxWriter
        let sink = TestSink()
        let reports = Locked<[OutboxReport]>([])

        func outbox(limit: OutboxLimit = OutboxLimit(lines: 4, bytes: 1 << 20), policy: Outbox.FailurePolicy = .retry(after: .milliseconds(5)))
            -> Outbox
        {
            Outbox(sink: sink, writer: writer, limit: limit, policy: policy) { [reports] in
                let report = $0
                reports.withLock { $0.append(report) }
            }
        }

        init(linger: Duration = .milliseconds(5)) {
            writer = OutboxWriter(name: "test-writer", linger: linger)
        }

        deinit {
            sink.open()
            writer.stop()
        }
    }

    @Test func whileTheSinkBlocksLinesBeyondTheBoundAreDroppedAndCountedExactly() async throws {
        let f = Fixture()
        let outbox = f.outbox()
        f.sink.block()
        #expect(outbox.append("first") == .queued)
        #expect(await eventually { f.sink.writesStarted == 1 && outbox.pendingLines == 0 }, "the writer took the line and waits in the sink")
        var outcomes: [OutboxAppend] = []
        for i in 1...10 { outcomes.append(outbox.append("line \(i)")) }
        // The line being written counts against the bound of 4 until it is written.
        #expect(outcomes == Array(repeating: .queued, count: 3) + [.dropped(first: true)] + Array(repeating: .dropped(first: false), count: 6))
        #expect(outbox.pendingLines == 3)
        #expect(outbox.droppedLines == 7)
        f.sink.open()
        #expect(await eventually { f.reports.withLock { $0 } == [.caughtUp(droppedLines: 7)] })
        #expect(f.sink.lines == ["first", "line 1", "line 2", "line 3"])
        #expect(outbox.append("after") == .queued, "once caught up, lines are taken again")
        #expect(await eventually { f.sink.lines.last == "after" })
    }

    @Test func linesThatArriveDuringAWriteGoOutTogetherInTheNextOne() async throws {
        let f = Fixture()
        let outbox = f.outbox(limit: OutboxLimit(lines: 1000, bytes: 1 << 20))
        f.sink.block()
        outbox.append("first")
        #expect(await eventually { f.sink.writesStarted == 1 })
        for i in 1...500 { outbox.append("line \(i)") }
        f.sink.open()
        #expect(await eventually { f.sink.lines.count == 501 })
        #expect(f.sink.writes.count == 2, "500 lines in one write(2)")
    }

    @Test func eachKeyHasItsOwnBoundAndAllKeepOneOrder() async throws {
        let f = Fixture()
        let outbox = f.outbox(limit: OutboxLimit(lines: 2, bytes: 1 << 20))
        f.sink.block()
        outbox.append("go")
        #expect(await eventually { f.sink.writesStarted == 1 && outbox.pendingLines == 0 })
        for i in 1...5 { outbox.append("chatty \(i)", key: 1) }
        outbox.append("quiet 1", key: 2)
        outbox.append("chatty 6", key: 1)
        outbox.append("quiet 2", key: 2)
        outbox.append("quiet 3", key: 2)
        #expect(outbox.droppedLines == 5)
        f.sink.open()
        #expect(await eventually { f.sink.lines.count == 5 })
        #expect(f.sink.lines == ["go", "chatty 1", "chatty 2", "quiet 1", "quiet 2"])
    }

    @Test func aFailingWriteIsReportedOnceRetriedAndNothingIsLost() async throws {
        let f = Fixture()
        let outbox = f.outbox(limit: OutboxLimit(lines: 100, bytes: 1 << 20))
        f.sink.fail(ENOSPC, ENOSPC, EIO)
        outbox.append("a")
        #expect(await eventually { f.sink.lines == ["a"] })
        outbox.append("b")
        #expect(await eventually { f.sink.lines == ["a", "b"] })
        #expect(f.reports.withLock { $0 } == [.writeFailed(SinkWriteError(errno: ENOSPC)), .caughtUp(droppedLines: 0)])
        #expect(outbox.droppedLines == 0)
    }

    @Test func aDiskThatStaysFullDropsBeyondTheBoundAndSaysHowManyWhenItRecovers() async throws {
        let f = Fixture()
        let outbox = f.outbox(limit: OutboxLimit(lines: 3, bytes: 1 << 20))
        f.sink.failAlways(ENOSPC)
        for i in 1...10 { outbox.append("line \(i)") }
        #expect(await eventually { f.reports.withLock { $0 } == [.writeFailed(SinkWriteError(errno: ENOSPC))] })
        #expect(outbox.droppedLines == 7)
        f.sink.failAlways(nil)
        #expect(await eventually { f.reports.withLock { $0.count } == 2 })
        #expect(f.reports.withLock { $0.last } == .caughtUp(droppedLines: 7))
        #expect(f.sink.lines == ["line 1", "line 2", "line 3"])
    }

    @Test func stdoutThatFailsIsGivenUpOnAndTakesNothingMore() async throws {
        let f = Fixture()
        let outbox = f.outbox(policy: .giveUp)
        f.sink.fail(EPIPE)
        outbox.append("lost")
        #expect(await eventually { outbox.isClosed })
        #expect(f.reports.withLock { $0 } == [.writeFailed(SinkWriteError(errno: EPIPE))])
        #expect(outbox.append("later") == .closed)
        #expect(outbox.discardedLines == 1 && outbox.droppedLines == 0)
    }

    @Test func closingWritesWhatIsQueuedThenClosesTheSink() async throws {
        let f = Fixture()
        let outbox = f.outbox()
        outbox.append("a")
        outbox.append("b")
        #expect(await outbox.close(within: .seconds(10)))
        #expect(f.sink.lines == ["a", "b"] && f.sink.isClosed)
        #expect(outbox.append("c") == .closed)
    }

    /// A log closed while its lines are being dropped (a session stopped during a flood or on a
    /// slow disk): the marker its owner adds when the outbox catches up still reaches the file,
    /// so the gap at the end of the log is said in it.
    @Test func aGapAtCloseIsMarkedBeforeTheSinkCloses() async throws {
        let f = Fixture()
        let marked = Locked<Outbox?>(nil)
        let outbox = Outbox(sink: f.sink, writer: f.writer, limit: OutboxLimit(lines: 2, bytes: 1 << 20), policy: .retry(after: .milliseconds(5))) {
            if case .caughtUp(let lost) = $0 { marked.withLock { $0 }?.append("resumed, \(lost) lost") }
        }
        marked.withLock { $0 = outbox }
        f.sink.block()
        outbox.append("first")
        #expect(await eventually { f.sink.writesStarted == 1 && outbox.pendingLines == 0 })
        outbox.append("second")
        #expect(outbox.append("ended") == .dropped(first: true))
        outbox.close()
        f.sink.open()
        #expect(await eventually { outbox.isClosed })
        #expect(f.sink.lines == ["first", "second", "resumed, 1 lost"] && f.sink.isClosed)
        #expect(outbox.append("later") == .closed)
        marked.withLock { $0 = nil }
    }

    @Test func aLongLingerGathersLinesButACloseCutsItShort() async throws {
        let f = Fixture(linger: .seconds(30))
        let outbox = f.outbox(limit: OutboxLimit(lines: 100, bytes: 1 << 20))
        outbox.append("a")
        try await Task.sleep(for: .milliseconds(50))
        outbox.append("b")
        #expect(f.sink.writes.isEmpty, "the writer lingers")
        #expect(await outbox.close(within: .seconds(10)), "a closing outbox does not wait out the linger")
        #expect(f.sink.writes.count == 1 && f.sink.lines == ["a", "b"] && f.sink.isClosed)

        let idle = Fixture(linger: .seconds(30))
        #expect(await idle.outbox().close(within: .seconds(10)), "nor does one closing while its writer is idle")
        #expect(idle.sink.isClosed)
    }

    @Test func halfTheBoundWaitingCutsTheLingerShort() async throws {
        // A session faster than the bound per linger (a flood of audio frames) would otherwise
        // overrun its log's bound while the writer lingers.
        let f = Fixture(linger: .seconds(30))
        let outbox = f.outbox(limit: OutboxLimit(lines: 10, bytes: 1 << 20))
        for line in ["a", "b", "c", "d"] { outbox.append(line) }
        try await Task.sleep(for: .milliseconds(50))
        #expect(f.sink.writes.isEmpty, "below half the bound the writer lingers")
        outbox.append("e")
        #expect(await eventually { f.sink.lines == ["a", "b", "c", "d", "e"] }, "half the bound: written well before the 30 s linger")
        let bytes = Fixture(linger: .seconds(30))
        let big = bytes.outbox(limit: OutboxLimit(lines: 1_000, bytes: 64))
        big.append(String(repeating: "x", count: 40))
        #expect(await eventually { bytes.sink.writes.count == 1 }, "half the byte bound too")
    }

    @Test func aBusyWriterStillLingersBetweenPasses() async throws {
        // Checked on the sink's own stamps, so a loaded machine that runs this test late cannot
        // fail it: the sink stays blocked longer than a linger, and the next pass must start
        // at once when the blocked one returns (a linger after the previous pass began), not a
        // linger after it returned.
        let linger = Duration.seconds(2)
        let f = Fixture(linger: linger)
        let outbox = f.outbox()
        f.sink.block()
        let appended = ContinuousClock.now
        outbox.append("a")
        #expect(await eventually { f.sink.writesStarted == 1 })
        outbox.append("b")
        try await Task.sleep(for: linger + .seconds(1))
        f.sink.open()
        #expect(await eventually { f.sink.lines == ["a", "b"] })
        let spans = f.sink.writeSpans
        try #require(spans.count == 2)
        #expect(spans[0].start - appended >= linger, "the first pass waits a linger after the wake")
        #expect(spans[1].start - spans[0].start >= linger)
        #expect(spans[1].start - spans[0].end < linger, "not a linger after the blocked pass returned")
    }

    @Test func buffersComeBackForTheNextBatchAndKeysKeepTheirCounts() async throws {
        let f = Fixture()
        let outbox = f.outbox(limit: OutboxLimit(lines: 2, bytes: 1 << 20))
        for round in 1...50 {
            #expect(outbox.append("x\(round)", key: 1) == .queued)
            #expect(outbox.append("y\(round)", key: 3) == .queued)
            #expect(await eventually { outbox.pendingLines == 0 })
        }
        #expect(await eventually { f.sink.lines.count == 100 })
        #expect(outbox.droppedLines == 0, "each key's written lines are taken off its bound")
        #expect(f.sink.lines.suffix(2) == ["x50", "y50"])
    }

    @Test func closingGivesUpOnASinkThatStillFails() async throws {
        let f = Fixture()
        let outbox = f.outbox(policy: .retry(after: .seconds(3600)))
        f.sink.failAlways(EIO)
        outbox.append("a")
        #expect(await eventually { f.reports.withLock { $0.count } == 1 })
        #expect(await outbox.close(within: .seconds(10)), "a retry an hour away does not hold the close")
        #expect(outbox.discardedLines == 1)
    }

    @Test func outboxesSharingASinkAreJoinedIntoOneWrite() async throws {
        let f = Fixture()
        let one = f.outbox()
        let two = f.outbox()
        f.sink.block()
        one.append("go")
        #expect(await eventually { f.sink.writesStarted == 1 })
        one.append("one")
        two.append("two")
        f.sink.open()
        #expect(await eventually { f.sink.lines.count == 3 })
        #expect(f.sink.writes.count == 2)
    }
}
