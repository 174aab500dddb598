/// One entry of the event stream kept in state for the event inspector.
///
/// Holds the event itself (its strings are shared, not copied, unless longer than
/// ``TextLimit/inspectorBytes``); the summary is formatted only
/// when a row is drawn, so keeping the stream costs nothing per event beyond the append.
public struct EventRecord: Sendable, Equatable {
    public let offset: Int64
    public let run: Int
    public let kind: SessionEvent.Kind

    /// Longest summary shown; the log on disk has the whole payload.
    public static let summaryLimit = 160

    init(_ event: SessionEvent) {
        offset = event.offset
        run = event.run
        // Cut to a few KiB: the inspector shows a summary, the log keeps the payload, and the
        // ring's memory stays bounded (``TextLimit``).
        kind = event.kind.cappingText(to: TextLimit.inspectorBytes)
    }

    public var direction: SessionEvent.Direction { kind.direction }
    public var type: String { kind.typeName }

    /// The payload in one line of at most ``summaryLimit`` characters.
    public var summary: String {
        let full = kind.summary
        let head = full.prefix(EventRecord.summaryLimit + 1)
        return head.count > EventRecord.summaryLimit ? String(head.dropLast()) + "…" : full
    }
}
