/// An interruption, an error, an alert or an operator mark on the replay timeline: where to draw a tick and where the
/// next/previous-mark keys jump.
public struct ReplayMark: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case interruption
        case error
        /// An alert raised or cleared.
        case alert
        /// The operator marked the moment (`mark`).
        case operatorMark
    }

    /// Timeline time in µs.
    public let time: Int64
    /// The pane's number (1-based).
    public let pane: Int
    public let kind: Kind
}

/// What a timeline bar draws: length, position and marks, all in timeline µs.
public struct ReplayTimeline: Sendable, Equatable {
    public let total: Int64
    public let position: Int64
    public let isPlaying: Bool
    public let speed: Double
    /// Every mark, sorted by time.
    public let marks: [ReplayMark]

    /// `time` as a fraction of the timeline (0 for an empty one), for placing it on a bar.
    public func fraction(of time: Int64) -> Double {
        total == 0 ? 0 : Double(min(max(0, time), total)) / Double(total)
    }
}
