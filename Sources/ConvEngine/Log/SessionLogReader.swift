/// Something wrong with one line of a session log.
public struct LogProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Error, Sendable, Equatable {
        /// The last line has no newline: the writer was cut off mid-line (a crash).
        case tornTail
        /// A complete line that is not a valid event.
        case corrupt(String)
        /// A line longer than ``LineScanner/maxLineLength``: not something this engine writes.
        case tooLong
        /// The input is a stream that went on past ``LineScanner/streamByteLimit``; the rest was not read.
        case inputLimit
        /// A second header: two logs joined into one file.
        case secondHeader
        /// An event earlier than the one before it (µs); the writer's clock never goes back.
        case timeWentBack(from: Int64, to: Int64)
        /// A run number that does not follow: a `run_started` not above the last, or an event
        /// of a run that has not started.
        case runOutOfOrder(String)
    }

    /// 1-based line number in the file.
    public let line: Int
    public let kind: Kind

    public init(line: Int, kind: Kind) {
        self.line = line
        self.kind = kind
    }

    public var description: String {
        switch kind {
        case .tornTail: "line \(line): torn last line (the writer stopped mid-line); ignored"
        case .corrupt(let reason): "line \(line): \(reason)"
        case .tooLong: "line \(line): longer than \(LineScanner.defaultMaxLineLength) bytes; not an event"
        case .secondHeader: "line \(line): a second log header (two logs joined into one file?)"
        case .timeWentBack(let from, let to):
            "line \(line): \"t\" goes back from \(ElapsedTimeText.clock(from)) to \(ElapsedTimeText.clock(to))"
        case .runOutOfOrder(let reason): "line \(line): \(reason)"
        case .inputLimit: "line \(line): the input goes on past \(LineScanner.streamByteLimit) bytes (the most read from a stream); the rest is not read"
        }
    }
}

/// A session log read into memory: the header, every readable event, and what was wrong.
public struct SessionLog: Sendable {
    public let path: String
    public let header: SessionLogHeader
    public let events: [SessionEvent]
    public let problems: [LogProblem]

    /// The state after folding every event, as the live session ended.
    public func finalState() -> SessionState {
        var state = header.emptyState()
        for event in events { state.apply(event) }
        return state
    }
}

extension SessionLogHeader {
    /// A fresh state with this log's ring sizes, ready to fold its events into.
    public func emptyState() -> SessionState {
        SessionState(backend: backend, transcriptCapacity: transcriptCapacity, eventCapacity: eventCapacity)
    }
}

/// Reads session logs, keeping everything readable and reporting the rest by line number.
public enum SessionLogReader {
    /// Reads the whole log at `path`.
    ///
    /// Throws when the file cannot be used at all (missing, empty, not a log, newer version).
    /// A corrupt line is reported and skipped; a torn last line is reported and ignored.
    public static func read(path: String) throws(LogFormatError) -> SessionLog {
        var events: [SessionEvent] = []
        let (header, problems) = try forEachEvent(path: path) { events.append($0) }
        return SessionLog(path: path, header: header, events: events, problems: problems)
    }

    /// Streams the log at `path`: calls `onHeader` once the header is read, then `body` with
    /// each readable event in order, holding only one line at a time; returns the header and
    /// what was wrong (same rules as ``read(path:)``).
    public static func forEachEvent(
        path: String, onHeader: (SessionLogHeader) -> Void = { _ in }, _ body: (SessionEvent) -> Void
    ) throws(LogFormatError) -> (header: SessionLogHeader, problems: [LogProblem]) {
        var scanner = try LineScanner(path: path)
        let header = try readHeader(&scanner)
        onHeader(header)
        return (header, forEachEvent(after: &scanner, body))
    }

    /// Streams the events after the header that `scanner` has read; returns what was wrong.
    public static func forEachEvent(after scanner: inout LineScanner, _ body: (SessionEvent) -> Void) -> [LogProblem] {
        var problems: [LogProblem] = []
        while let outcome = scanner.next({ bytes, complete in parseEvent(bytes, complete: complete) }) {
            switch outcome {
            case .success(let event): body(event)
            case .failure(let kind):
                problems.append(LogProblem(line: scanner.lineNumber, kind: scanner.lastLineTruncated ? .tooLong : kind))
            }
        }
        if scanner.stoppedAtByteLimit { problems.append(LogProblem(line: scanner.lineNumber, kind: .inputLimit)) }
        return problems
    }

    /// Reads and checks the first line.
    public static func readHeader(_ scanner: inout LineScanner) throws(LogFormatError) -> SessionLogHeader {
        let first: Result<JSONValue, LogFormatError>? = scanner.next { bytes, complete in
            guard complete else { return .failure(.notALog("the first line is incomplete")) }
            if bytes.isEmpty { return .failure(.notALog("the first line is empty")) }
            do {
                return .success(try JSONParser.parse(bytes.assumingMemoryBound(to: UInt8.self)))
            } catch {
                return .failure(.notALog("the first line is not JSON (\(error))"))
            }
        }
        guard let first else { throw .empty }
        if scanner.lastLineTruncated {
            throw .notALog("the first line is longer than \(scanner.maxLineLength) bytes")
        }
        switch first {
        case .success(let json): return try SessionLogHeader(json: json)
        case .failure(let error): throw error
        }
    }

    /// One event line, or what is wrong with it.
    public static func parseEvent(_ bytes: UnsafeRawBufferPointer, complete: Bool) -> Result<SessionEvent, LogProblem.Kind> {
        guard complete else { return .failure(.tornTail) }
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes.assumingMemoryBound(to: UInt8.self))
        } catch {
            return .failure(.corrupt("not valid JSON (\(error))"))
        }
        do {
            return .success(try SessionEvent(json: json))
        } catch {
            if json["format"]?.stringValue == SessionLogHeader.formatName { return .failure(.secondHeader) }
            return .failure(.corrupt("not a valid event (\(error))"))
        }
    }
}
