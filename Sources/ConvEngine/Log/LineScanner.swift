#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a file's lines without holding the file in memory.
///
/// Reads in large blocks and finds newlines with `memchr`, so scanning runs at close to the
/// speed of the disk; only the current line is held at once, and at most ``maxLineLength``
/// bytes of it, so a file that is not line-shaped (binary garbage, a sparse 2 GB hole) cannot
/// make the reader's memory grow. An input that is not a regular file (a FIFO, `<(cat log)`,
/// a device) is read once, front to back, and at most ``streamByteLimit`` bytes of it, so
/// `/dev/zero` ends.
public struct LineScanner: ~Copyable {
    /// Bytes read per `read(2)`.
    public static let blockSize = 1 << 20
    /// Default longest line kept; no line this engine writes comes near it.
    public static let defaultMaxLineLength = 8 << 20
    /// The most read from an input that is not a regular file (2 GiB): no log comes near it,
    /// and a device that never ends (`/dev/zero`) ends here.
    public static let streamByteLimit: Int64 = 2 << 30

    /// Lines longer than this are cut to it (see ``lastLineTruncated``); the rest of the line is
    /// skipped without being held.
    public let maxLineLength: Int
    /// Whether the line last returned was longer than ``maxLineLength`` and was cut.
    public private(set) var lastLineTruncated = false
    /// Bytes of the current line that were skipped because it is too long.
    private var dropped = 0

    private let fd: Int32
    private var buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var atEOF = false
    private var pending: [UInt8] = []
    /// 1-based number of the line last returned.
    public private(set) var lineNumber = 0
    /// File offset of the start of the line last returned.
    public private(set) var lineOffset: Int64 = 0
    private var consumed: Int64 = 0
    /// Bytes read from the input so far.
    private var bytesRead: Int64 = 0
    /// The device and inode of the input (to refuse writing an export over it).
    public let identity: (device: UInt64, inode: UInt64)
    /// Whether the input is a regular file, which can be read again (seek); a stream cannot.
    public let isRegularFile: Bool
    /// The most bytes this scanner reads (``streamByteLimit`` for a stream, unlimited for a file).
    public let byteLimit: Int64
    /// Whether reading stopped at ``byteLimit`` with input left unread.
    public private(set) var stoppedAtByteLimit = false

    /// Opens `path` for reading.
    public init(
        path: String, maxLineLength: Int = LineScanner.defaultMaxLineLength, streamByteLimit: Int64 = LineScanner.streamByteLimit
    ) throws(LogFormatError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR else {
            let reason = (info.st_mode & S_IFMT) == S_IFDIR ? "it is a directory" : String(cString: strerror(errno))
            Glibc.close(fd)
            throw .cannotOpen(reason)
        }
        self.fd = fd
        identity = (UInt64(info.st_dev), UInt64(info.st_ino))
        isRegularFile = (info.st_mode & S_IFMT) == S_IFREG
        byteLimit = isRegularFile ? .max : streamByteLimit
        self.maxLineLength = max(1, maxLineLength)
        buffer = .allocate(byteCount: Self.blockSize, alignment: 16)
    }

    deinit {
        buffer.deallocate()
        Glibc.close(fd)
    }

    /// Moves to byte `offset` of the file, counting the next line as `lineNumber`.
    public mutating func seek(to offset: Int64, lineNumber: Int) {
        lseek(fd, off_t(offset), SEEK_SET)
        start = 0
        end = 0
        atEOF = false
        pending.removeAll()
        dropped = 0
        consumed = offset
        self.lineNumber = lineNumber - 1
    }

    /// Calls `body` with the next line's bytes (without the newline) and whether it ended with
    /// a newline (false only for a torn last line). Returns false at the end of the file.
    public mutating func next<R>(_ body: (UnsafeRawBufferPointer, _ complete: Bool) throws -> R) rethrows -> R? {
        while true {
            if start < end {
                let base = buffer.baseAddress! + start
                if let hit = memchr(base, 0x0A, end - start) {
                    let length = base.distance(to: hit)
                    lineNumber += 1
                    lineOffset = consumed - Int64(pending.count + dropped)
                    consumed += Int64(length + 1)
                    start += length + 1
                    if pending.isEmpty {
                        lastLineTruncated = length > maxLineLength
                        return try body(UnsafeRawBufferPointer(start: base, count: min(length, maxLineLength)), true)
                    }
                    keep(UnsafeRawBufferPointer(start: base, count: length))
                    lastLineTruncated = dropped > 0
                    dropped = 0
                    defer { pending.removeAll(keepingCapacity: pending.count < Self.blockSize) }
                    return try pending.withUnsafeBytes { try body($0, true) }
                }
                keep(UnsafeRawBufferPointer(start: base, count: end - start))
                consumed += Int64(end - start)
                start = end
            }
            if atEOF {
                guard !pending.isEmpty || dropped > 0 else { return nil }
                lineNumber += 1
                lineOffset = consumed - Int64(pending.count + dropped)
                lastLineTruncated = dropped > 0
                dropped = 0
                defer { pending.removeAll() }
                return try pending.withUnsafeBytes { try body($0, false) }
            }
            let room = byteLimit - bytesRead
            if room <= 0 {
                var probe: UInt8 = 0
                stoppedAtByteLimit = read(fd, &probe, 1) > 0
                atEOF = true
                continue
            }
            let n = read(fd, buffer.baseAddress!, Int(min(Int64(Self.blockSize), room)))
            if n < 0 {
                if errno == EINTR { continue }
                atEOF = true
            } else if n == 0 {
                atEOF = true
            } else {
                bytesRead += Int64(n)
                start = 0
                end = n
            }
        }
    }

    /// Holds part of a line that spans blocks, up to ``maxLineLength`` bytes; counts the rest.
    private mutating func keep(_ bytes: UnsafeRawBufferPointer) {
        let room = max(0, maxLineLength - pending.count)
        if bytes.count <= room {
            pending.append(contentsOf: bytes)
        } else {
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[..<room]))
            dropped += bytes.count - room
        }
    }
}
