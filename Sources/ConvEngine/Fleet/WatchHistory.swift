/// The part of a watcher's requested past that the journal's ring no longer holds, read from
/// the sessions' own logs: which session each of those events came from, in the agent's
/// order, and how many lines of each log come before the first of them.
///
/// A session's log holds exactly the events its observer handed the journal, in the same
/// order, so event `k` of session `s` since the agent started is line `k` after its header.
public struct WatchHistory: Sendable {
    /// The first sequence number it carries.
    public let first: Int
    /// One past the last: where the ring, and then the live stream, take over.
    public let end: Int
    /// The watched session, or nil for all.
    public let only: Int?
    /// The session of each event `first..<end`.
    let sessions: [UInt32]
    /// Per session number: its events before `first` (log lines after the header to skip).
    let skip: [Int]

    /// Counts outside the journal's lock what `tail` (events `tail.from` to now) says about
    /// events `tail.from..<end`.
    init(tail: JournalTail, end: Int, only: Int?) {
        var skip = tail.totals
        for session in tail.sessions { skip[Int(session)] -= 1 }
        first = tail.from
        self.end = end
        self.only = only
        sessions = Array(tail.sessions[..<(end - tail.from)])
        self.skip = skip
    }

    /// The events it carries (of the watched session, or all).
    public var count: Int { count(from: 0) }

    /// The events it carries from index `index` of `first..<end` on.
    func count(from index: Int) -> Int {
        let rest = sessions[index...]
        return only.map { only in rest.reduce(0) { $0 + (Int($1) == only ? 1 : 0) } } ?? rest.count
    }
}

/// Where a session's log is and the name its lines carry, for ``WatchHistoryReader``.
public struct SessionLogSource: Sendable {
    public let path: String
    public let name: String

    public init(path: String, name: String) {
        self.path = path
        self.name = name
    }
}

/// Why a watcher's past could not be read whole from the logs: `missed` of its events, from
/// sequence number `at` on, are not sent.
public struct WatchHistoryError: Error, Equatable {
    public let at: Int
    public let missed: Int
    public let reason: String
}

/// Reads a ``WatchHistory``'s events from the sessions' logs in the agent's order, framed as
/// the journal frames its lines (`{"session":…,"name":…,` and the log line's members), so a
/// watcher cannot tell them from the ring's. Blocking file reads: run it off the event loops.
public final class WatchHistoryReader {
    private let history: WatchHistory
    private let sources: [Int: SessionLogSource]
    private let patience: Duration
    private var logs: [Int: OpenLog] = [:]
    /// Index into the history's events of the next one.
    private var position = 0

    /// One session's log, open at its next line.
    private final class OpenLog {
        var scanner: LineScanner
        let prefix: [UInt8]
        /// Where the next line starts, and its number: to read again after the end of the file.
        var nextOffset: Int64 = 0
        var nextLine = 1

        init(scanner: consuming LineScanner, prefix: [UInt8]) {
            self.scanner = scanner
            self.prefix = prefix
        }
    }

    /// - Parameter patience: how long a log may lag behind the journal (its writer thread
    ///   appends within milliseconds; the newest events of the history left the ring just now).
    public init(_ history: WatchHistory, sources: [Int: SessionLogSource], patience: Duration = .seconds(2)) {
        self.history = history
        self.sources = sources
        self.patience = patience
    }

    /// Up to `limit` of the next lines; empty at the end.
    public func next(limit: Int) async throws(WatchHistoryError) -> [WatchLine] {
        var lines: [WatchLine] = []
        var waitingSince: ContinuousClock.Instant?
        while lines.count < limit, position < history.sessions.count {
            let session = Int(history.sessions[position])
            let sequence = history.first + position
            if let only = history.only, only != session {
                position += 1
                continue
            }
            do throws(Unreadable) {
                guard let line = try line(sequence: sequence, session: session) else {
                    // Not written yet: hand over what there is, or wait a little for the writer.
                    if !lines.isEmpty { return lines }
                    let since = waitingSince ?? .now
                    waitingSince = since
                    guard since.duration(to: .now) < patience else {
                        throw Unreadable(description: "the log of session \(session) ends before the journal's event \(sequence)")
                    }
                    try? await Task.sleep(for: .milliseconds(10))
                    continue
                }
                lines.append(line)
                position += 1
            } catch {
                let left = history.count(from: position)
                position = history.sessions.count
                throw WatchHistoryError(at: sequence, missed: left, reason: error.description)
            }
        }
        return lines
    }

    private struct Unreadable: Error, CustomStringConvertible {
        let description: String
    }

    /// Event `sequence`'s line from session `session`'s log; nil when the log does not hold it yet.
    private func line(sequence: Int, session: Int) throws(Unreadable) -> WatchLine? {
        let log = try open(session)
        // nil: a line still being written; `.some(nil)`: a line that is not an event's.
        let read = log.scanner.next { bytes, complete -> [UInt8]?? in
            guard complete else { return nil }
            // A log line is `{"t":…}`; the journal's is the same after `{"session":N,"name":…,`.
            guard bytes.count > 2, bytes[0] == UInt8(ascii: "{"), bytes[1] == UInt8(ascii: "\"") else { return .some(nil) }
            var line = log.prefix
            line.append(contentsOf: bytes[1...])
            return line
        }
        guard let read, let found = read else {
            // The end of what is written (perhaps in the middle of a line): read again from here later.
            log.scanner.seek(to: log.nextOffset, lineNumber: log.nextLine)
            return nil
        }
        guard let line = found else {
            throw Unreadable(description: "line \(log.scanner.lineNumber) of the log of session \(session) is not an event line")
        }
        log.nextOffset = log.scanner.lineOffset + Int64(line.count - log.prefix.count + 2)
        log.nextLine = log.scanner.lineNumber + 1
        return WatchLine(sequence: sequence, session: session, isAudioChunk: Self.isAudioChunk(line), line: line)
    }

    /// Session `session`'s log, opened and moved past its header and the lines before the
    /// history's first event.
    private func open(_ session: Int) throws(Unreadable) -> OpenLog {
        if let log = logs[session] { return log }
        guard let source = sources[session] else { throw Unreadable(description: "session \(session) has no log") }
        var scanner: LineScanner
        do {
            scanner = try LineScanner(path: source.path)
        } catch {
            throw Unreadable(description: "cannot open the log of session \(session): \(error)")
        }
        let skip = 1 + (session < history.skip.count ? history.skip[session] : 0)
        var nextOffset: Int64 = 0
        for _ in 0..<skip {
            guard let found = scanner.next({ bytes, complete in complete ? bytes.count : nil }), let length = found else {
                throw Unreadable(description: "the log of session \(session) ends before the journal's events")
            }
            nextOffset = scanner.lineOffset + Int64(length + 1)
        }
        var prefix: [UInt8] = []
        prefix.append(contentsOf: #"{"session":"#.utf8)
        JSONWriter.writeInteger(Int64(session), into: &prefix)
        prefix.append(contentsOf: #","name":"#.utf8)
        JSONWriter.writeString(source.name, into: &prefix)
        prefix.append(UInt8(ascii: ","))
        let log = OpenLog(scanner: scanner, prefix: prefix)
        log.nextOffset = nextOffset
        log.nextLine = skip + 1
        logs[session] = log
        return log
    }

    /// Whether `line`'s type is an audio chunk's (the first `"type":` member of a log line).
    private static func isAudioChunk(_ line: [UInt8]) -> Bool {
        let key = Array(#""type":""#.utf8)
        guard let found = line.indices.dropLast(key.count).first(where: { line[$0..<($0 + key.count)].elementsEqual(key) }) else { return false }
        let rest = line[(found + key.count)...]
        return rest.starts(with: "agent_audio\"".utf8) || rest.starts(with: "user_audio\"".utf8)
    }
}
