/// The latency and trouble figures of one session log, read the fast way: each line's fixed
/// prefix (``EventLineClassifier``) says its type, and only `turn_metrics` lines are parsed.
/// A version 1 log has no `turn_metrics`: its events are decoded and its turns measured again.
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
    }

    private static let turnMetrics = Array("turn_metrics".utf8)
    private static let raised = Array(#""state":"raised""#.utf8)

    /// Version 2: the prefix of each line, the payload of `turn_metrics` and `alert` lines only.
    private mutating func readIndexed(_ scanner: inout LineScanner) {
        while scanner.next({ bytes, complete in
            guard complete, let prefix = EventLineClassifier.prefix(bytes) else { return }
            count(prefix.flags)
            if prefix.flags.contains(.alert), Self.contains(bytes, Self.raised) { alerts += 1 }
            let type = UnsafeRawBufferPointer(rebasing: bytes[prefix.type])
            guard type.elementsEqual(Self.turnMetrics),
                let json = try? JSONParser.parse(bytes.assumingMemoryBound(to: UInt8.self)),
                let turn = try? TurnMetrics(json: json)
            else { return }
            turns += 1
            if let ms = turn.latencyMs { latency.record(ms) }
        }) != nil {}
    }

    /// Version 1: every event decoded and folded, so its turns are measured as replay measures them.
    private mutating func readDecoded(_ scanner: inout LineScanner, header: SessionLogHeader) {
        let classifier = EventLineClassifier(validation: .fast)
        var state = SessionState(backend: header.backend, transcriptCapacity: 1, eventCapacity: 1)
        while let (_, event) = classifier.next(from: &scanner, decoding: true) {
            guard let event else { continue }
            count(ReplayEventFlags.of(event.kind))
            if case .alert(_, true, _) = event.kind { alerts += 1 }
            let before = state.metrics.turns
            state.apply(event)
            if state.metrics.turns > before, let turn = state.metrics.lastTurn {
                turns += 1
                if let ms = turn.latencyMs { latency.record(ms) }
            }
        }
    }

    private mutating func count(_ flags: ReplayEventFlags) {
        if flags.contains(.runStart) { runs += 1 }
        if flags.contains(.interruption) { interruptions += 1 }
        if flags.contains(.error) { errors += 1 }
    }

    private static func contains(_ bytes: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard bytes.count >= needle.count else { return false }
        for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
            if needle.indices.allSatisfy({ bytes[start + $0] == needle[$0] }) { return true }
        }
        return false
    }

    /// Interruptions per turn (0 without turns).
    public var interruptionRate: Double { turns == 0 ? 0 : Double(interruptions) / Double(turns) }
}
