/// The first line of a session log: what the file is and how to replay it.
public struct SessionLogHeader: Sendable, Equatable {
    public static let formatName = "convtui-session-log"
    public static let currentVersion = 2

    public var version: Int
    public var sessionNumber: Int
    public var sessionName: String
    public var backend: String
    /// Wall-clock time of offset 0, in Unix microseconds.
    public var startedAtMicros: Int64
    /// Ring sizes the live session used; replay needs them to reach the same state.
    public var transcriptCapacity: Int
    public var eventCapacity: Int

    public init(
        sessionNumber: Int, sessionName: String, backend: String, startedAtMicros: Int64,
        transcriptCapacity: Int = SessionState.defaultTranscriptCapacity,
        eventCapacity: Int = SessionState.defaultEventCapacity,
        version: Int = SessionLogHeader.currentVersion
    ) {
        self.version = version
        self.sessionNumber = sessionNumber
        self.sessionName = sessionName
        self.backend = backend
        self.startedAtMicros = startedAtMicros
        self.transcriptCapacity = transcriptCapacity
        self.eventCapacity = eventCapacity
    }

    public var json: JSONValue {
        .object([
            ("format", .string(Self.formatName)),
            ("version", .int(version)),
            ("session", .int(sessionNumber)),
            ("name", .string(sessionName)),
            ("backend", .string(backend)),
            ("started_at", .string(WallClock.iso8601(micros: startedAtMicros))),
            ("started_at_us", .number(Double(startedAtMicros))),
            ("transcript_capacity", .int(transcriptCapacity)),
            ("event_capacity", .int(eventCapacity)),
        ])
    }

    /// Reads a header line, checking the format name and version.
    public init(json: JSONValue) throws(LogFormatError) {
        guard case .object = json else { throw .notALog("the first line is not a JSON object") }
        guard json["format"]?.stringValue == Self.formatName else {
            throw .notALog("the first line has no \"format\": \"\(Self.formatName)\"")
        }
        guard let version = json["version"]?.intValue else { throw .badHeader("\"version\" is missing or not a number") }
        guard version <= Self.currentVersion, version >= 1 else { throw .unsupportedVersion(version) }
        func int(_ key: String) throws(LogFormatError) -> Int {
            guard let value = json[key]?.intValue else { throw .badHeader("\"\(key)\" is missing or not an integer") }
            return value
        }
        func text(_ key: String) throws(LogFormatError) -> String {
            guard let value = json[key]?.stringValue else { throw .badHeader("\"\(key)\" is missing or not a string") }
            return TextSanitizer.sanitize(value)
        }
        let transcriptCapacity = try int("transcript_capacity")
        let eventCapacity = try int("event_capacity")
        guard transcriptCapacity > 0, eventCapacity > 0, transcriptCapacity <= 1_000_000, eventCapacity <= 1_000_000 else {
            throw .badHeader("capacities must be between 1 and 1000000")
        }
        guard let started = json["started_at_us"]?.doubleValue else { throw .badHeader("\"started_at_us\" is missing") }
        // Int64(_:) traps on NaN and out-of-range values; a hostile header must be refused, not crash (found by fuzzing).
        guard let startedMicros = Int64(exactly: started.rounded()), startedMicros.magnitude < 100_000_000_000_000_000 else {  // ±3000 years: sums with offsets cannot overflow
            throw .badHeader("\"started_at_us\" is out of range")
        }
        self.init(
            sessionNumber: try int("session"), sessionName: try text("name"), backend: try text("backend"),
            startedAtMicros: startedMicros, transcriptCapacity: transcriptCapacity, eventCapacity: eventCapacity,
            version: version)
    }
}

/// Why a file cannot be read as a session log at all.
public enum LogFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotOpen(String)
    case empty
    case notALog(String)
    case unsupportedVersion(Int)
    case badHeader(String)

    public var description: String {
        switch self {
        case .cannotOpen(let reason): "cannot open: \(reason)"
        case .empty: "the file is empty (not a session log)"
        case .notALog(let reason): "not a convtui session log: \(reason)"
        case .unsupportedVersion(let v):
            "log format version \(v) is not supported (this convtui reads version \(SessionLogHeader.currentVersion)); upgrade convtui"
        case .badHeader(let reason): "bad log header: \(reason)"
        }
    }
}
