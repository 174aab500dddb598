import Glibc

/// Where `convtui export` writes: stdout, or `--output FILE` through a temporary file in the
/// same directory renamed over FILE once the export is complete.
///
/// So a failed export leaves FILE as it was, a symlink at FILE is replaced rather than its
/// target overwritten, and an output that is the log itself (same device and inode: the same
/// path, a hard link or a symlink to it) is refused before anything is written. A FIFO or a
/// device at FILE (`/dev/null`) is written directly: there is nothing to replace.
struct ExportDestination {
    let fd: Int32
    /// The file renamed over the output on ``finish()``; nil when writing directly.
    private let temporaryPath: String?
    private let path: String?

    /// Standard output, unless it is a log being exported (`export LOG >> LOG` would never end).
    static func standardOutput(inputs: [(device: UInt64, inode: UInt64)]) throws(DestinationError) -> ExportDestination {
        var info = stat()
        if fstat(1, &info) == 0, inputs.contains(where: { Self.isSameFile(info, $0) }) { throw DestinationError("stdout is the log being exported") }
        return ExportDestination(fd: 1, temporaryPath: nil, path: nil)
    }

    /// Opens `--output path`; refuses a log being exported.
    static func file(_ path: String, inputs: [(device: UInt64, inode: UInt64)]) throws(DestinationError) -> ExportDestination {
        var info = stat()
        if stat(path, &info) == 0 {
            if inputs.contains(where: { isSameFile(info, $0) }) { throw DestinationError("\(path) is the log being exported") }
            let type = info.st_mode & S_IFMT
            if type == S_IFDIR { throw DestinationError("\(path) is a directory") }
            if type != S_IFREG {
                let fd = open(path, O_WRONLY | O_CLOEXEC)
                guard fd >= 0 else { throw DestinationError("cannot open \(path): \(String(cString: strerror(errno)))") }
                return ExportDestination(fd: fd, temporaryPath: nil, path: path)
            }
        }
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        var template = Array("\(directory.isEmpty ? "/" : directory)/.convtui-export-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw DestinationError("cannot create a file next to \(path): \(String(cString: strerror(errno)))") }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        let name = template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return ExportDestination(fd: fd, temporaryPath: String(decoding: name, as: UTF8.self), path: path)
    }

    /// Closes the output; a temporary file is renamed over the output path (created 0600).
    func finish() throws(DestinationError) {
        guard fd != 1 else { return }
        close(fd)
        guard let temporaryPath, let path else { return }
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw DestinationError("cannot write \(path): \(reason)")
        }
    }

    /// Closes the output and removes the temporary file, leaving the output path as it was.
    func discard() {
        guard fd != 1 else { return }
        close(fd)
        if let temporaryPath { unlink(temporaryPath) }
    }

    private static func isSameFile(_ info: stat, _ input: (device: UInt64, inode: UInt64)) -> Bool {
        UInt64(info.st_dev) == input.device && UInt64(info.st_ino) == input.inode
    }

    /// Why the export cannot be written where it was asked to go.
    struct DestinationError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
