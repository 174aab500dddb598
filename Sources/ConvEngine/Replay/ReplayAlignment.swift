/// How several logs are placed on one timeline.
public enum ReplayAlignment: String, Sendable, CaseIterable {
    /// By the wall-clock time each recording started (header `started_at_us`): sessions that
    /// ran at the same time overlap on the timeline, as they did live.
    case wallClock = "wallclock"
    /// Every log starts at zero.
    case start

    /// Where each log's offset 0 sits on the shared log-time axis, in µs from the earliest
    /// start; nil entries (logs that could not be read) stay nil.
    public func shifts(startedAt: [Int64?]) -> [Int64?] {
        switch self {
        case .start:
            return startedAt.map { $0.map { _ in 0 } }
        case .wallClock:
            guard let earliest = startedAt.compactMap({ $0 }).min() else { return startedAt }
            return startedAt.map { $0.map { $0 - earliest } }
        }
    }
}
