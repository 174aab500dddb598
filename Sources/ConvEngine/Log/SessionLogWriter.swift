#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends a session's events to its log file in whole lines, one `write(2)` per batch.
///
/// Lines are handed to the kernel whole, the events of one batch (what one transport message
/// produced) in one call, so a process killed at any moment leaves at most one torn last line,
/// which the reader reports. The file is created `0600` and never
/// overwritten. Owned by one session and used only under its lock.
public final class SessionLogWriter {
    public let path: String
    public let header: SessionLogHeader
    /// Offset 0 of the log's clock (the moment the header's wall-clock time was taken).
    public let origin: ContinuousClock.Instant
    private var fd: Int32
    /// Reused for every batch, so appending allocates nothing once it has grown.
    private var lines: [UInt8] = []

    /// Creates `path` (which must not exist yet) and writes the header line.
    public init(path: String, header: SessionLogHeader, origin: ContinuousClock.Instant = .now) throws(LogWriteError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw LogWriteError(path: path, errno: errno) }
        self.fd = fd
        self.path = path
        self.header = header
        self.origin = origin
        var bytes: [UInt8] = []
        JSONWriter.write(header.json, into: &bytes)
        try writeLine(bytes)
    }

    deinit {
        close()
    }

    /// Appends one event line.
    public func append(_ event: SessionEvent) throws(LogWriteError) {
        try append(CollectionOfOne(event))
    }

    /// Appends a line per event, all in one `write(2)`: a session's batch costs one system
    /// call, not one per event (the kernel's share of a recorded event was mostly this call).
    public func append(_ events: some Sequence<SessionEvent>) throws(LogWriteError) {
        lines.removeAll(keepingCapacity: true)
        for event in events {
            event.writeLogLine(into: &lines)
            lines.append(0x0A)
        }
        try write(lines)
    }

    private func writeLine(_ bytes: [UInt8]) throws(LogWriteError) {
        try write(bytes + [0x0A])
    }

    private func write(_ data: [UInt8]) throws(LogWriteError) {
        guard fd >= 0 else { throw LogWriteError(path: path, errno: EBADF) }
        var written = 0
        while written < data.count {
            let n = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw LogWriteError(path: path, errno: errno)
            }
            written += n
        }
    }

    /// Closes the file; later appends fail.
    public func close() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }
}

/// A log file could not be created or written.
public struct LogWriteError: Error, Equatable, Sendable, CustomStringConvertible {
    public let path: String
    public let errno: Int32

    public var description: String {
        "\(path): \(String(cString: strerror(errno)))"
    }
}
