import ConvEngine
import Glibc
import Testing
@testable import ConvTUI

/// Lines gathered during an event-loop iteration go out together at its end, in the order
/// they were produced; lines from anywhere else go out at once, after anything gathered.
@Suite("Headless output")
struct HeadlessOutputTests {
    /// A stand-in event loop: while `onLoop` is set the output sees a loop, and the work it
    /// defers waits in `queued` until the test ends the iteration.
    private final class FakeLoop: Sendable {
        private let state = Locked((onLoop: false, queued: [@Sendable () -> Void]()))

        var onLoop: Bool {
            get { state.withLock { $0.onLoop } }
            set { state.withLock { $0.onLoop = newValue } }
        }

        var queuedCount: Int { state.withLock { $0.queued.count } }

        func current() -> EventLoopTick.Deferral? {
            guard onLoop else { return nil }
            return { [self] work in state.withLock { $0.queued.append(work) } }
        }

        func endIteration() {
            let work = state.withLock { state in
                defer { state.queued = [] }
                return state.queued
            }
            for item in work { item() }
        }
    }

    /// The output writing into a non-blocking pipe, and a way to read what it wrote so far.
    private struct Harness {
        let loop = FakeLoop()
        let output: HeadlessOutput
        let readEnd: Int32

        init() throws {
            var fds: [Int32] = [0, 0]
            try #require(pipe(&fds) == 0)
            _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
            readEnd = fds[0]
            let loop = loop
            output = HeadlessOutput(stdout: fds[1]) { loop.current() }
        }

        func written() -> String {
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = chunk.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, 4096) }
                if n <= 0 { break }
                bytes += chunk[..<n]
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    private let ping = SessionEvent(offset: 2_500_000, run: 1, kind: .ping(eventId: 3, latencyMs: nil))

    @Test func offTheLoopEachLineGoesOutAtOnce() throws {
        let h = try Harness()
        h.output.line("one")
        #expect(h.written() == "one\n")
        h.output.event(session: 2, name: "ava", ping)
        #expect(h.written() == #"{"session":2,"name":"ava","t":2.500000,"run":1,"type":"ping","event_id":3,"latency_ms":null}"# + "\n")
    }

    @Test func onTheLoopLinesWaitForTheEndOfTheIteration() throws {
        let h = try Harness()
        h.loop.onLoop = true
        h.output.line("a")
        h.output.event(session: 1, name: "x", ping)
        h.output.json(.object([("type", "snapshot")]))
        #expect(h.written() == "")
        #expect(h.loop.queuedCount == 1)
        h.loop.endIteration()
        #expect(h.written() == "a\n" + #"{"session":1,"name":"x","t":2.500000,"run":1,"type":"ping","event_id":3,"latency_ms":null}"# + "\n" + #"{"type":"snapshot"}"# + "\n")
        h.output.line("b")
        #expect(h.loop.queuedCount == 1)
        h.loop.endIteration()
        #expect(h.written() == "b\n")
    }

    @Test func aLineFromElsewhereTakesTheGatheredLinesAlongInOrder() throws {
        let h = try Harness()
        h.loop.onLoop = true
        h.output.line("loop 1")
        h.loop.onLoop = false
        h.output.line("elsewhere")
        #expect(h.written() == "loop 1\nelsewhere\n")
        h.loop.endIteration()
        #expect(h.written() == "")
    }

    @Test func aBatchHoldsLinesFromLoopAndElsewhereUntilItEnds() throws {
        let h = try Harness()
        h.output.batched {
            h.output.line("first")
            h.loop.onLoop = true
            h.output.line("second")
            h.loop.endIteration()
            h.loop.onLoop = false
            #expect(h.written() == "")
        }
        #expect(h.written() == "first\nsecond\n")
    }

    @Test func flushWritesWhatAnUnfinishedIterationGathered() throws {
        let h = try Harness()
        h.loop.onLoop = true
        h.output.line("late")
        h.output.flush()
        #expect(h.written() == "late\n")
    }
}
