import ConvEngine

/// Whole lines to stdout and stderr, each in one `write(2)`, from any thread.
///
/// Sessions report events from their own tasks; a lock keeps lines from interleaving, and
/// writing straight to the descriptor means nothing sits in a buffer when the process dies.
final class HeadlessOutput: Sendable {
    private let lock = Locked(())

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

    private func write(_ bytes: [UInt8], to fd: Int32) {
        lock.withLock { _ in _ = DescriptorWriter.writeAll(bytes, to: fd) }
    }
}
