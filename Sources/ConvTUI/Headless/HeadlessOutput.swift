import ConvEngine

/// Whole lines to stdout and stderr, each in one `write(2)`, from any thread.
///
/// Sessions report events from their own tasks; a lock keeps lines from interleaving, and
/// writing straight to the descriptor means nothing sits in a buffer when the process dies
/// (except for the length of a ``batched(_:)`` call).
final class HeadlessOutput: Sendable {
    /// stdout lines held back while a batch runs.
    private let pending = Locked<[UInt8]?>(nil)

    /// One session event as a JSON line: `{"session":1,"name":"ava","type":…,"t":…,"run":…,…}`.
    func event(session number: Int, name: String, _ event: SessionEvent) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(160)
        event.writeLogLine(into: &bytes, prefixedBy: [("session", .int(number)), ("name", .string(name))])
        bytes.append(0x0A)
        write(bytes, to: 1)
    }

    /// A JSON value as one stdout line.
    func json(_ value: JSONValue) {
        var bytes: [UInt8] = []
        JSONWriter.write(value, into: &bytes)
        bytes.append(0x0A)
        write(bytes, to: 1)
    }

    /// A line of text on stdout.
    func line(_ text: String) {
        write(Array((text + "\n").utf8), to: 1)
    }

    /// A diagnostic line on stderr.
    func diagnostic(_ text: String) {
        write(Array((text + "\n").utf8), to: 2)
    }

    /// Runs `body` with stdout lines (from any thread) collected and written in one `write(2)`
    /// at its end: a stop-all's hundreds of lines cost one system call and one reader wake-up.
    func batched<Result>(_ body: () -> Result) -> Result {
        pending.withLock { $0 = $0 ?? [] }
        defer {
            pending.withLock { buffer in
                if let bytes = buffer, !bytes.isEmpty { _ = DescriptorWriter.writeAll(bytes, to: 1) }
                buffer = nil
            }
        }
        return body()
    }

    private func write(_ bytes: [UInt8], to fd: Int32) {
        pending.withLock { buffer in
            if fd == 1, buffer != nil {
                buffer!.append(contentsOf: bytes)
            } else {
                _ = DescriptorWriter.writeAll(bytes, to: fd)
            }
        }
    }
}
