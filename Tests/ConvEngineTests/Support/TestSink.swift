import Foundation
@testable import ConvEngine

/// An outbox sink under the test's control: it keeps what it is given, can be made to block
/// (a full pipe, a hung disk) until opened, and to fail its next writes with an `errno`.
final class TestSink: OutboxSink, @unchecked Sendable {  // every stored var is reached only under `condition`
    let name = "test sink"
    private let condition = NSCondition()
    private var blocked = false
    private var entered = 0
    private var failures: [Int32] = []
    private var failingForever: Int32?
    private var received: [[UInt8]] = []
    private var spans: [(start: ContinuousClock.Instant, end: ContinuousClock.Instant)] = []
    private var closed = false

    /// Writes wait from now on until ``open()``.
    func block() { locked { blocked = true } }

    /// Lets waiting and later writes through.
    func open() {
        locked {
            blocked = false
            condition.broadcast()
        }
    }

    /// The next writes fail with these errors, one each, in order.
    func fail(_ errors: Int32...) { locked { failures += errors } }

    /// Every write fails with `errno` until called again with nil.
    func failAlways(_ errno: Int32?) { locked { failingForever = errno } }

    /// How many writes have started (including any waiting now).
    var writesStarted: Int { locked { entered } }
    /// The bytes of each write that went through, in order.
    var writes: [[UInt8]] { locked { received } }
    /// Every line written, in order.
    var lines: [String] { writes.flatMap { String(decoding: $0, as: UTF8.self).split(separator: "\n").map(String.init) } }
    var isClosed: Bool { locked { closed } }
    /// When each write that went through started and returned, stamped by the writer's own
    /// thread: timing checks read these rather than when a busy test happened to look.
    var writeSpans: [(start: ContinuousClock.Instant, end: ContinuousClock.Instant)] { locked { spans } }

    func write(_ bytes: [UInt8]) throws(SinkWriteError) {
        let start = ContinuousClock.now
        condition.lock()
        defer { condition.unlock() }
        entered += 1
        while blocked { condition.wait() }
        if let errno = failingForever { throw SinkWriteError(errno: errno) }
        if !failures.isEmpty { throw SinkWriteError(errno: failures.removeFirst()) }
        received.append(bytes)
        spans.append((start, ContinuousClock.now))
    }

    func close() { locked { closed = true } }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }
}

extension Outbox {
    /// Appends one line `text` (newline added) for `key`.
    @discardableResult
    func append(_ text: String, key: Int = 0) -> OutboxAppend {
        append(lines: 1, key: key) { $0.append(contentsOf: (text + "\n").utf8) }
    }
}
