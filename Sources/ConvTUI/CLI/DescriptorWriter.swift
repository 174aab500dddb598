import Glibc

/// Writes whole byte buffers to a file descriptor, retrying short writes and `EINTR`.
///
/// Commands write straight to descriptors (no stdio buffer), so nothing is lost if the
/// process dies and lines from several threads never interleave mid-line.
enum DescriptorWriter {
    /// Writes all of `bytes` to `fd`; returns the `errno` of a failed write, nil on success.
    @discardableResult
    static func writeAll(_ bytes: [UInt8], to fd: Int32) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += n
        }
        return nil
    }
}
