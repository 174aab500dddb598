#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a file's lines without holding the file in memory.
///
/// Reads in large blocks and finds newlines with `memchr`, so scanning runs at close to the
/// speed of the disk; only the current line (however long) is held at once.
public struct LineScanner: ~Copyable {
    /// Bytes read per `read(2)`.
    public static let blockSize = 1 << 20

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

    /// Opens `path` for reading.
    public init(path: String) throws(LogFormatError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(String(cString: strerror(errno))) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            Glibc.close(fd)
            throw .cannotOpen("it is a directory")
        }
        self.fd = fd
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
                    lineOffset = consumed - Int64(pending.count)
                    consumed += Int64(length + 1)
                    let lineStart = start
                    start += length + 1
                    if pending.isEmpty {
                        return try body(UnsafeRawBufferPointer(start: buffer.baseAddress! + lineStart, count: length), true)
                    }
                    pending.append(contentsOf: UnsafeRawBufferPointer(start: base, count: length))
                    defer { pending.removeAll(keepingCapacity: pending.count < Self.blockSize) }
                    return try pending.withUnsafeBytes { try body($0, true) }
                }
                pending.append(contentsOf: UnsafeRawBufferPointer(start: base, count: end - start))
                consumed += Int64(end - start)
                start = end
            }
            if atEOF {
                guard !pending.isEmpty else { return nil }
                lineNumber += 1
                lineOffset = consumed - Int64(pending.count)
                defer { pending.removeAll() }
                return try pending.withUnsafeBytes { try body($0, false) }
            }
            let n = read(fd, buffer.baseAddress!, Self.blockSize)
            if n < 0 {
                if errno == EINTR { continue }
                atEOF = true
            } else if n == 0 {
                atEOF = true
            } else {
                start = 0
                end = n
            }
        }
    }
}
