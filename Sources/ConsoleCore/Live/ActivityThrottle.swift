/// How often a session hears that its user is typing: at most once per `interval`, so a
/// fast typist costs the server one `user_activity` a second rather than one a keystroke.
package struct ActivityThrottle: Sendable {
    package let interval: Duration
    private var lastSent: [Int: ContinuousClock.Instant] = [:]

    package init(interval: Duration = .seconds(1)) {
        self.interval = interval
    }

    /// Whether a notice for session `index` may go out at `now`; if so, it counts as sent.
    package mutating func admits(_ index: Int, at now: ContinuousClock.Instant) -> Bool {
        if let last = lastSent[index], now < last + interval { return false }
        lastSent[index] = now
        return true
    }
}
