/// A compact map of one session log, built in one streaming pass: when each event happened,
/// what kind of mark it carries, and where to resume reading.
///
/// Memory is 9 bytes per event (a µs offset and a flag byte) plus one ``Anchor`` every
/// ``anchorInterval`` events and at most ``maxStoredProblems`` problems; the log itself is
/// never held. Payloads are not decoded (see ``EventLineClassifier``), so indexing runs at
/// close to the speed of the disk.
public struct ReplayIndex: Sendable {
    /// Where reading can resume: the line of event number `anchorInterval × k`.
    struct Anchor: Sendable {
        let byteOffset: Int64
        let lineNumber: Int
    }

    /// Events between two anchors.
    static let anchorInterval = 256
    /// Problems kept in ``problems``; binary garbage can have millions of "lines".
    public static let maxStoredProblems = 1000

    public let path: String
    public let header: SessionLogHeader
    /// Offset (µs since the session began) of each event, in log order. Never decreasing: an
    /// event logged earlier than its predecessor (only a hand-edited log can do that) is placed
    /// at its predecessor's time, so that "the events up to t" is always a prefix of the log.
    public let times: [Int64]
    /// The marks of each event, parallel to ``times``.
    public let flags: [ReplayEventFlags]
    let anchors: [Anchor]
    /// The first ``maxStoredProblems`` problems, in line order.
    public let problems: [LogProblem]
    /// All problems, including those not kept in ``problems``.
    public let problemCount: Int
    /// How many runs (`run_started` events) the log holds.
    public let runCount: Int
    let validation: EventLineClassifier.Validation

    public var eventCount: Int { times.count }
    /// Offset of the last event: how long the recording lasts.
    public var duration: Int64 { times.last ?? 0 }
    /// Whether the log ends with a torn line (the writer was cut off).
    public var hasTornTail: Bool { problems.last?.kind == .tornTail }

    /// How many events happened at or before `offset` (µs since the session began).
    public func eventCount(atOrBefore offset: Int64) -> Int {
        var low = 0
        var high = times.count
        while low < high {
            let mid = (low + high) / 2
            if times[mid] <= offset { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Indexes the log at `path` in one pass.
    ///
    /// - Parameter validation: `.fast` reads only each line's prefix (replay); `.full` decodes
    ///   every line, so payload errors are found too (`log check`).
    /// - Throws: when the file is not usable as a log at all (missing, empty, not a log, newer
    ///   version). Line problems are reported in ``problems`` instead.
    static func build(path: String, validation: EventLineClassifier.Validation) throws(LogFormatError) -> ReplayIndex {
        var scanner = try LineScanner(path: path)
        let header = try SessionLogReader.readHeader(&scanner)
        let classifier = EventLineClassifier(validation: validation)
        var times: [Int64] = []
        var flags: [ReplayEventFlags] = []
        var anchors: [Anchor] = []
        var problems: [LogProblem] = []
        var problemCount = 0
        var runCount = 0
        var latest: Int64 = 0
        var startedRun = 0
        func report(_ kind: LogProblem.Kind, line: Int) {
            problemCount += 1
            if problems.count < maxStoredProblems || kind == .tornTail || kind == .inputLimit {
                problems.append(LogProblem(line: line, kind: kind))
            }
        }
        while case let (line, _)? = classifier.next(from: &scanner, decoding: false) {
            switch line {
            case .event(let offset, let run, let eventFlags):
                if times.count % anchorInterval == 0 {
                    anchors.append(Anchor(byteOffset: scanner.lineOffset, lineNumber: scanner.lineNumber))
                }
                // The writer's clock and run numbers only go forward: anything else is a log
                // edited or joined by hand, which replay would show out of order.
                if offset < latest { report(.timeWentBack(from: latest, to: offset), line: scanner.lineNumber) }
                if eventFlags.contains(.runStart) {
                    if run <= startedRun { report(.runOutOfOrder("run \(run) starts after run \(startedRun)"), line: scanner.lineNumber) }
                    startedRun = max(startedRun, run)
                } else if run > startedRun {
                    report(.runOutOfOrder("an event of run \(run), which has not started"), line: scanner.lineNumber)
                }
                latest = max(latest, offset)
                times.append(latest)
                flags.append(eventFlags)
                if eventFlags.contains(.runStart) { runCount += 1 }
            case .problem(let kind):
                report(kind, line: scanner.lineNumber)
            }
        }
        if scanner.stoppedAtByteLimit { report(.inputLimit, line: scanner.lineNumber) }
        return ReplayIndex(
            path: path, header: header, times: times, flags: flags, anchors: anchors, problems: problems,
            problemCount: problemCount, runCount: runCount, validation: validation)
    }

    /// Indexes the log at `path` for replay (prefix scan; see ``build(path:validation:)``).
    public static func build(path: String) throws(LogFormatError) -> ReplayIndex {
        try build(path: path, validation: .fast)
    }
}
