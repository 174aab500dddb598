import ConvEngine
import Glibc

/// The logs `convtui replay` reads, each one a file it can read twice.
///
/// Replay indexes a log in one pass and then seeks back into it; a stream (a FIFO,
/// `<(cat log)`) cannot be read twice, so it is copied once into a private directory (0700,
/// removed by ``remove()``), at most ``LineScanner/streamByteLimit`` bytes of it.
struct ReplaySpool {
    /// The path to replay for each log given, in order.
    let paths: [String]
    /// A note per log that was cut at the limit or could not be copied.
    let problems: [String]
    private let directory: String?

    init(_ logs: [String]) {
        var paths: [String] = []
        var problems: [String] = []
        var directory: String?
        for (index, log) in logs.enumerated() {
            var info = stat()
            guard stat(log, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG, (info.st_mode & S_IFMT) != S_IFDIR else {
                paths.append(log)
                continue
            }
            if directory == nil {
                var template = Array("/tmp/convtui-replay-XXXXXX".utf8CString)
                directory = mkdtemp(&template).map { String(cString: $0) }
            }
            guard let directory else {
                paths.append(log)
                continue
            }
            let name = log.split(separator: "/").last.map(String.init) ?? "log"
            let copy = "\(directory)/\(index + 1)-\(name)"
            switch Self.copy(log, to: copy) {
            case .success(let complete):
                paths.append(copy)
                if !complete { problems.append("\(log): read only its first \(LineScanner.streamByteLimit) bytes (the most read from a stream)") }
            case .failure(let reason):
                paths.append(log)
                problems.append("\(log): cannot copy the stream: \(reason)")
            }
        }
        self.paths = paths
        self.problems = problems
        self.directory = directory
    }

    /// Deletes the copies.
    func remove() {
        guard let directory else { return }
        for path in paths where path.hasPrefix(directory + "/") { unlink(path) }
        rmdir(directory)
    }

    private struct CopyError: Error { let reason: String }

    /// Copies `source` into a new 0600 file; success says whether the whole stream fit.
    private static func copy(_ source: String, to destination: String) -> Result<Bool, CopyError> {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { return .failure(CopyError(reason: String(cString: strerror(errno)))) }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else { return .failure(CopyError(reason: String(cString: strerror(errno)))) }
        defer { close(output) }
        var block = [UInt8](repeating: 0, count: LineScanner.blockSize)
        var total: Int64 = 0
        while total < LineScanner.streamByteLimit {
            let n = block.withUnsafeMutableBytes { read(input, $0.baseAddress!, Int(min(Int64($0.count), LineScanner.streamByteLimit - total))) }
            if n < 0, errno == EINTR { continue }
            if n < 0 { return .failure(CopyError(reason: String(cString: strerror(errno)))) }
            if n == 0 { return .success(true) }
            if let error = DescriptorSink.writeAll(Array(block[..<n]), to: output) {
                return .failure(CopyError(reason: String(cString: strerror(error))))
            }
            total += Int64(n)
        }
        var probe: UInt8 = 0
        return .success(read(input, &probe, 1) <= 0)
    }
}
