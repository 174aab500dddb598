/// What an ``Outbox`` tells its owner, from its writer's thread (never under a lock).
public enum OutboxReport: Sendable, Equatable {
    /// A write failed (the first failure since the last write that worked). A log keeps its
    /// lines and tries again; stdout gives up and discards what it holds.
    case writeFailed(SinkWriteError)
    /// After a failure or dropped lines, the outbox is written out again: `droppedLines` lines
    /// were lost in between (0 when a failed write was retried in time).
    case caughtUp(droppedLines: Int)
}

/// What happened to lines handed to ``Outbox/append(lines:_:)``.
public enum OutboxAppend: Sendable, Equatable {
    /// Queued for the writer.
    case queued
    /// Dropped and counted; `first` is true for the first line lost since the outbox last
    /// caught up (the owner says so once).
    case dropped(first: Bool)
    /// The outbox is closed (or gave up on its sink): nothing more is taken or counted.
    case closed
}
