/// When and how often a transport reconnects after a recoverable close (opt-in).
///
/// Each reconnect is a new conversation with a new id: neither backend can resume one.
public struct ReconnectPolicy: Sendable, Equatable {
    /// Tries after one connection is lost; the count starts again once a connection has
    /// carried a server event that is not an error (an accepted socket may still be closed
    /// with 1013 at admission, and that must not retry forever).
    public var maxAttempts: Int
    public var initialDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 5, initialDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(8)) {
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
    }

    /// The jitter factors of the official OpenAI client: many panes that lost the same server
    /// do not come back in lockstep.
    public static let jitter: ClosedRange<Double> = 0.75...1.0

    /// The wait before try `attempt` (1-based): doubling from the initial delay, capped, then
    /// scaled by `jitter` (clamped to ``jitter``; pick it at random, 1 for the bare backoff).
    public func delay(beforeAttempt attempt: Int, jitter: Double = 1) -> Duration {
        var delay = initialDelay
        for _ in 1..<max(1, attempt) {
            delay = min(maxDelay, delay * 2)
        }
        return min(delay, maxDelay) * min(Self.jitter.upperBound, max(Self.jitter.lowerBound, jitter))
    }
}
