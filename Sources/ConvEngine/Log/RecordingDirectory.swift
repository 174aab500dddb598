#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The folder session logs go to: created `0700`, one `0600` file per session.
public struct RecordingDirectory: Sendable {
    public let path: String
    /// Prefix shared by the logs of one invocation, so they sort and glob together.
    public let stamp: String
    /// The threads that write the logs (``OutboxWriters/shared`` unless a test brings its own).
    public var writers = OutboxWriters.shared

    /// `$XDG_STATE_HOME/convtui/logs`, or `~/.local/state/convtui/logs`, or `./convtui-logs`
    /// when neither is set.
    public static func defaultPath(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return state + "/convtui/logs"
        }
        if let home = environment["HOME"], !home.isEmpty {
            return home + "/.local/state/convtui/logs"
        }
        return "./convtui-logs"
    }

    /// Creates the directory (and missing parents) with mode `0700`.
    public init(path: String, stampMicros: Int64 = WallClock.nowMicros()) throws(LogWriteError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o700) != 0, errno != EEXIST {
                throw LogWriteError(path: prefix, errno: errno)
            }
            prefix += "/"
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw LogWriteError(path: path, errno: errno) }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw LogWriteError(path: path, errno: ENOTDIR) }
        self.path = path
        self.stamp = WallClock.fileStamp(micros: stampMicros)
    }

    /// Creates the log for session `number` named `name`, with its header written.
    public func createLog(number: Int, name: String, backend: String, transcriptCapacity: Int, eventCapacity: Int) throws(LogWriteError)
        -> SessionLogWriter
    {
        let header = SessionLogHeader(
            sessionNumber: number, sessionName: name, backend: backend, startedAtMicros: WallClock.nowMicros(),
            transcriptCapacity: transcriptCapacity, eventCapacity: eventCapacity)
        let base = "\(path)/\(stamp)-\(number < 10 ? "0" : "")\(number)-\(Self.fileSafe(name))"
        var attempt = 1
        while true {
            let candidate = attempt == 1 ? base + ".jsonl" : base + "-\(attempt).jsonl"
            do {
                return try SessionLogWriter(path: candidate, header: header)
            } catch where error.errno == EEXIST && attempt < 1000 {
                attempt += 1
            }
        }
    }

    /// `name` reduced to characters that are safe in a file name anywhere.
    static func fileSafe(_ name: String) -> String {
        let mapped = name.unicodeScalars.prefix(40).map { scalar -> Character in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".": Character(scalar)
            default: "_"
            }
        }
        let result = String(mapped)
        return result.isEmpty || result.hasPrefix(".") ? "s" + result : result
    }
}
