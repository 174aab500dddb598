#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where an ``Outbox``'s bytes end up: a session log, stdout, or a stand-in in tests.
///
/// Only an ``OutboxWriter`` thread calls `write` and `close`, one call at a time per sink, so a
/// sink may block (a full pipe, a slow disk) without holding up anything but that thread.
public protocol OutboxSink: AnyObject, Sendable {
    /// What the sink is, for messages (`/path/to/log.jsonl`, `stdout`).
    var name: String { get }
    /// Writes all of `bytes` (whole lines) or, on failure, leaves none of them torn behind.
    func write(_ bytes: [UInt8]) throws(SinkWriteError)
    /// Releases the sink; no write follows.
    func close()
}

/// A sink write failed with the OS error `errno`.
public struct SinkWriteError: Error, Equatable, Sendable, CustomStringConvertible {
    public let errno: Int32

    public init(errno: Int32) {
        self.errno = errno
    }

    public var description: String { String(cString: strerror(errno)) }
}

/// A file descriptor the process does not own (stdout): written in full, never closed.
public final class DescriptorSink: OutboxSink {
    public let name: String
    private let descriptor: Int32

    public init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
    }

    public func write(_ bytes: [UInt8]) throws(SinkWriteError) {
        if let errno = Self.writeAll(bytes, to: descriptor) { throw SinkWriteError(errno: errno) }
    }

    public func close() {}

    /// Writes all of `bytes` to `fd`, retrying short writes and `EINTR`, and waiting for room
    /// on `EAGAIN`; returns how many bytes went out before a failure and its `errno`, nil on
    /// success. A descriptor can be non-blocking without this process asking (its open file
    /// description is shared with whoever made it), and a full pipe must not read as a closed one.
    static func writeAll(_ bytes: [UInt8], to fd: Int32, written: inout Int) -> Int32? {
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                #if canImport(Glibc)
                    Glibc.write(fd, buffer.baseAddress! + written, buffer.count - written)
                #else
                    Darwin.write(fd, buffer.baseAddress! + written, buffer.count - written)
                #endif
            }
            if n < 0 {
                switch errno {
                case EINTR: continue
                case EAGAIN, EWOULDBLOCK:
                    var room = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    if poll(&room, 1, -1) < 0, errno != EINTR { return errno }
                    continue
                default: return errno
                }
            }
            written += n
        }
        return nil
    }

    /// Writes all of `bytes` to `fd` (see ``writeAll(_:to:written:)``); returns the `errno` of a
    /// failed write, nil on success.
    @discardableResult
    public static func writeAll(_ bytes: [UInt8], to fd: Int32) -> Int32? {
        var written = 0
        return writeAll(bytes, to: fd, written: &written)
    }
}
