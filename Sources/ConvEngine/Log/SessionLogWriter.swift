#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends a session's events to its log file in whole lines, one `write(2)` per batch.
///
/// Lines are handed to the kernel whole, many at a time, so a process killed at any moment
/// leaves at most one torn last line, which the reader reports. A write that fails part-way
/// (a full disk) is cut back to the last whole line, so the file never holds a torn line
/// while the process lives. The file is created `0600` and never overwritten.
/// A live session's log is the sink of its ``Outbox``, written by one ``OutboxWriter`` thread.
public final class SessionLogWriter: OutboxSink, @unchecked Sendable {  // one thread at a time: its outbox's writer, or the one owner that writes it directly
    public let path: String
    public var name: String { path }
    public let header: SessionLogHeader
    private var fd: Int32
    /// Bytes of whole lines in the file: where a failed write is cut back to.
    private var size: Int64 = 0
    /// Reused for every batch, so appending allocates nothing once it has grown.
    private var lines: [UInt8] = []

    /// Creates `path` (which must not exist yet) and writes the header line.
    public init(path: String, header: SessionLogHeader) throws(LogWriteError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw LogWriteError(path: path, errno: errno) }
        self.fd = fd
        self.path = path
        self.header = header
        var bytes: [UInt8] = []
        JSONWriter.write(header.json, into: &bytes)
        bytes.append(0x0A)
        do {
            try write(bytes)
        } catch {
            throw LogWriteError(path: path, errno: error.errno)
        }
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
        do {
            try write(lines)
        } catch {
            throw LogWriteError(path: path, errno: error.errno)
        }
    }

    /// Appends whole lines; on failure cuts the file back to its last whole line.
    public func write(_ bytes: [UInt8]) throws(SinkWriteError) {
        guard fd >= 0 else { throw SinkWriteError(errno: EBADF) }
        var written = 0
        if let errno = DescriptorSink.writeAll(bytes, to: fd, written: &written) {
            if written > 0 { _ = ftruncate(fd, off_t(size)) }
            throw SinkWriteError(errno: errno)
        }
        size += Int64(written)
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
