/// A compact line of the event stream kept in state for the event inspector.
public struct EventRecord: Sendable, Equatable {
    public let offset: Int64
    public let run: Int
    public let direction: SessionEvent.Direction
    public let type: String
    public let summary: String

    /// Longest summary kept; the log on disk has the whole payload.
    public static let summaryLimit = 160

    init(_ event: SessionEvent) {
        offset = event.offset
        run = event.run
        direction = event.kind.direction
        type = event.kind.typeName
        let full = event.kind.summary
        let head = full.prefix(EventRecord.summaryLimit + 1)
        summary = head.count > EventRecord.summaryLimit ? String(head.dropLast()) + "…" : full
    }
}
