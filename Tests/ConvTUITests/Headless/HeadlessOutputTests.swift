import ConvEngine
import Glibc
import Testing
import TestSupport
@testable import ConvTUI

/// Headless stdout never waits for its reader: lines queue per session up to a bound, the rest
/// are dropped and counted, and a closed stdout ends the run instead of the process.
@Suite("Headless output")
struct HeadlessOutputTests {
    /// A pipe for stdout, made as small as the kernel allows so that it fills at once. Close on
    /// exec at once: a child another test starts meanwhile would otherwise hold its read end.
    private struct Pipe {
        let readEnd: Int32
        let writeEnd: Int32

        init() throws {
            var fds: [Int32] = [0, 0]
            try #require(pipe(&fds) == 0)
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            _ = fcntl(fds[1], 1031 /* F_SETPIPE_SZ */, 4096)
            _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
            (readEnd, writeEnd) = (fds[0], fds[1])
        }

        /// Everything readable now.
        func read() -> String {
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = chunk.withUnsafeMutableBytes { Glibc.read(readEnd, $0.baseAddress, 65536) }
                if n <= 0 { break }
                bytes += chunk[..<n]
            }
            return String(decoding: bytes, as: UTF8.self)
        }

        func close() {
            Glibc.close(readEnd)
            Glibc.close(writeEnd)
        }
    }

    private let ping = SessionEvent(offset: 2_500_000, run: 1, kind: .ping(eventId: 3, latencyMs: nil))
    private let pingLine = #"{"session":2,"name":"ava","t":2.500000,"run":1,"type":"ping","event_id":3,"latency_ms":null}"#

    @Test func aPlainOutputWritesEachLineAtOnce() throws {
        let pipe = try Pipe()
        defer { pipe.close() }
        let output = HeadlessOutput(stdout: pipe.writeEnd)
        output.line("one")
        #expect(pipe.read() == "one\n")
        output.event(session: 2, name: "ava", ping)
        #expect(pipe.read() == pingLine + "\n")
    }

    @Test func queuedLinesComeOutInTheOrderTheyWereMade() async throws {
        let pipe = try Pipe()
        defer { pipe.close() }
        let output = HeadlessOutput.queued(stdout: pipe.writeEnd)
        output.line("a")
        output.event(session: 2, name: "ava", ping)
        output.json(.object([("type", "snapshot")]))
        var text = ""
        #expect(await eventually { text += pipe.read(); return text.hasSuffix("\n") && text.split(separator: "\n").count == 3 })
        #expect(text == "a\n" + pingLine + "\n" + #"{"type":"snapshot"}"# + "\n")
        #expect(await output.finish() == 0)
    }

    @Test func aReaderThatStopsCostsEachSessionOnlyLinesBeyondItsBoundExactly() async throws {
        let pipe = try Pipe()
        defer { pipe.close() }
        let output = HeadlessOutput.queued(stdout: pipe.writeEnd, limit: OutboxLimit(lines: 4, bytes: 1 << 20))
        // Larger than the pipe: the writer is stuck in write(2) until the test reads.
        output.line(String(repeating: "x", count: 8192))
        #expect(await eventually { output.waitingLines == 0 })
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 1...10 { output.event(session: 2, name: "ava", ping) }
            output.event(session: 3, name: "ben", ping)
        }
        #expect(elapsed < .seconds(2), "nothing waited for the reader")
        var text = ""
        #expect(await eventually { text += pipe.read(); return text.contains("output_dropped") })
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 7)
        #expect(lines[1...4] == Array(repeating: pingLine, count: 4)[...])
        #expect(lines[5].contains(#""name":"ben""#))
        #expect(lines[6] == #"{"type":"output_dropped","lines":6}"#)
        #expect(await output.finish() == 6)
    }

    @Test func aReaderThatCatchesUpOnlyAtTheEndStillHearsOfTheDrops() async throws {
        let pipe = try Pipe()
        defer { pipe.close() }
        let output = HeadlessOutput.queued(stdout: pipe.writeEnd, limit: OutboxLimit(lines: 2, bytes: 1 << 20))
        output.line(String(repeating: "x", count: 8192))
        #expect(await eventually { output.waitingLines == 0 })
        for _ in 1...5 { output.event(session: 2, name: "ava", ping) }
        let finishing = Task { await output.finish() }
        var text = ""
        #expect(await eventually { text += pipe.read(); return text.contains("output_dropped") })
        #expect(await finishing.value == 3)
        #expect(text.split(separator: "\n").map(String.init) .suffix(3) == [pingLine, pingLine, #"{"type":"output_dropped","lines":3}"#])
    }

    /// The reader stops for good while lines are dropped and the writer is stuck in a write: the
    /// process does not wait for it beyond the stall limit, the lines of that write count as
    /// lost, and nothing is written beside it (which would splice a line into another).
    @Test func aReaderThatStopsForGoodDoesNotHoldTheExitOrGetASplicedLine() async throws {
        let pipe = try Pipe()
        defer { pipe.close() }
        let output = HeadlessOutput.queued(stdout: pipe.writeEnd, limit: OutboxLimit(lines: 2, bytes: 1 << 20))
        output.line(String(repeating: "x", count: 8192))
        #expect(await eventually { output.waitingLines == 0 }, "the writer is stuck in write(2)")
        for _ in 1...5 { output.event(session: 2, name: "ava", ping) }
        let finishing = Task { await output.finish(stallLimit: .milliseconds(300)) }
        let dropped = await finishing.value
        #expect(dropped == 3 + 1 + 2, "3 dropped, and given up on: the line being written and the two queued")
        // Only now does the reader come back: it gets the write that was under way, whole, and
        // nothing of what was given up on.
        var text = ""
        #expect(await eventually { text += pipe.read(); return text.hasSuffix("\n") })
        try await Task.sleep(for: .milliseconds(100))
        text += pipe.read()
        #expect(text == String(repeating: "x", count: 8192) + "\n")
    }

    @Test func aClosedStdoutEndsTheRunAndTakesNothingMore() async throws {
        signal(SIGPIPE, SIG_IGN)
        let pipe = try Pipe()
        Glibc.close(pipe.readEnd)
        defer { Glibc.close(pipe.writeEnd) }
        let output = HeadlessOutput.queued(stdout: pipe.writeEnd)
        let told = Locked(0)
        output.whenStdoutCloses { told.withLock { $0 += 1 } }
        // Written again until told: a child another test started in the instant before the
        // read end was closed may hold a copy of it for as long as the child lives.
        #expect(await eventually {
            output.line("nobody reads this")
            return told.withLock { $0 } == 1
        })
        #expect(output.stdoutClosed)
        output.line("nor this")
        #expect(await output.finish() == 0, "lines after the reader left are not counted as dropped")
    }
}
