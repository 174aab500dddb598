import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The latency and trouble figures of one session log, read the fast way (the index path).
///
/// A version 2 line's fixed prefix (``EventLineClassifier``) says its type, and a type's
/// flags say whether it starts a run, is an error or an interruption, so most lines are never
/// parsed; only `turn_metrics` and `alert` lines (whose payloads count) are decoded, by the
/// writer-shaped decoder (``WriterLineDecoder``), and lines it cannot read, or without the
/// writer's prefix, go through the full parser. A line with the prefix is an event, as replay's
/// index judges it; every other line that does not parse is a problem, kept with its line
/// number. A version 1 log has no `turn_metrics`: its events are decoded and its turns measured
/// again.
public struct LogStats: Sendable {
    public var path: String
    public var session: Int
    public var name: String
    public var backend: String
    public var runs = 0
    public var turns = 0
    public var interruptions = 0
    public var errors = 0
    public var alerts = 0
    /// Turn latencies (``TurnMetrics/latencyMs``).
    public var latency = LatencyDistribution()
    /// Lines that are not events (corrupt, torn, too long), in order: the first
    /// ``keptProblems`` of them; ``problemCount`` counts them all.
    public var problems: [LogProblem] = []
    public var problemCount = 0
    /// The most problems kept per log, so a file of garbage cannot fill memory.
    public static let keptProblems = 100

    /// Reads the log at `path`.
    public init(path: String) throws(LogFormatError) {
        var scanner = try LineScanner(path: path)
        let header = try SessionLogReader.readHeader(&scanner)
        self.path = path
        session = header.sessionNumber
        name = header.sessionName
        backend = header.backend
        if header.version >= 2 {
            readIndexed(&scanner)
        } else {
            readDecoded(&scanner, header: header)
        }
        if scanner.stoppedAtByteLimit { note(.inputLimit, line: scanner.lineNumber) }
    }

    /// Reads every log of `paths`, on up to `workers` threads at once (one per core by default:
    /// a log is read by one thread, front to back). The results are in the order of `paths`.
    public static func read(_ paths: [String], workers: Int = LogStats.cores) -> [Result<LogStats, LogFormatError>] {
        let results = Locked([Result<LogStats, LogFormatError>?](repeating: nil, count: paths.count))
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: max(1, min(workers, paths.count))) { _ in
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < paths.count else { return }
                let result = Result { () throws(LogFormatError) in try LogStats(path: paths[i]) }
                results.withLock { $0[i] = result }
            }
        }
        return results.withLock { $0.map { $0! } }
    }

    /// Processors online.
    public static var cores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// What one version 2 line adds.
    private enum Line {
        /// An event whose payload does not count: only its type's flags do.
        case flagged(ReplayEventFlags)
        case event(SessionEvent)
        case problem(LogProblem.Kind)
    }

    private static let turnMetrics: StaticString = "turn_metrics"

    /// Version 2: the prefix of each line; the payload of `turn_metrics` and `alert` lines only.
    private mutating func readIndexed(_ scanner: inout LineScanner) {
        while let line = scanner.next({ bytes, complete in Self.line(bytes, complete: complete) }) {
            if scanner.lastLineTruncated {
                note(.tooLong, line: scanner.lineNumber)
                continue
            }
            switch line {
            case .flagged(let flags): count(flags)
            case .event(let event):
                count(event)
                if case .turnMetrics(let turn) = event.kind { count(turn) }
            case .problem(let kind): note(kind, line: scanner.lineNumber)
            }
        }
    }

    private static func line(_ bytes: UnsafeRawBufferPointer, complete: Bool) -> Line {
        guard complete else { return .problem(.tornTail) }
        if let prefix = EventLineClassifier.prefix(bytes) {
            let counted = prefix.flags.contains(.alert)
                || (prefix.type.count == turnMetrics.utf8CodeUnitCount
                    && memcmp(bytes.baseAddress! + prefix.type.lowerBound, turnMetrics.utf8Start, prefix.type.count) == 0)
            guard counted else { return .flagged(prefix.flags) }
            if let event = WriterLineDecoder.decode(bytes, prefix: prefix) { return .event(event) }
        }
        switch SessionLogReader.parseEvent(bytes, complete: true) {
        case .success(let event): return .event(event)
        case .failure(let kind): return .problem(kind)
        }
    }

    /// Version 1: every event decoded and folded, so its turns are measured as replay measures them.
    private mutating func readDecoded(_ scanner: inout LineScanner, header: SessionLogHeader) {
        let classifier = EventLineClassifier(validation: .fast)
        var state = SessionState(backend: header.backend, transcriptCapacity: 1, eventCapacity: 1)
        while let (line, event) = classifier.next(from: &scanner, decoding: true) {
            if case .problem(let kind) = line { note(kind, line: scanner.lineNumber) }
            guard let event else { continue }
            count(event)
            let before = state.metrics.turns
            state.apply(event)
            if state.metrics.turns > before, let turn = state.metrics.lastTurn { count(turn) }
        }
    }

    /// What a decoded event's type and an alert's state add.
    private mutating func count(_ event: SessionEvent) {
        count(ReplayEventFlags.of(event.kind))
        if case .alert(_, true, _) = event.kind { alerts += 1 }
    }

    private mutating func count(_ turn: TurnMetrics) {
        turns += 1
        if let ms = turn.latencyMs { latency.record(ms) }
    }

    private mutating func count(_ flags: ReplayEventFlags) {
        if flags.contains(.runStart) { runs += 1 }
        if flags.contains(.interruption) { interruptions += 1 }
        if flags.contains(.error) { errors += 1 }
    }

    private mutating func note(_ kind: LogProblem.Kind, line: Int) {
        problemCount += 1
        if problems.count < Self.keptProblems { problems.append(LogProblem(line: line, kind: kind)) }
    }

    /// Interruptions per turn (0 without turns).
    public var interruptionRate: Double { turns == 0 ? 0 : Double(interruptions) / Double(turns) }
}
