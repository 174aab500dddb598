/// When and how often a transport reconnects after a recoverable close (opt-in).
///
/// Each reconnect is a new conversation with a new id: neither backend can resume one.
public struct ReconnectPolicy: Sendable, Equatable {
    /// Tries after one connection is lost; a successful connection resets the count.
    public var maxAttempts: Int
    public var initialDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 5, initialDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(8)) {
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
    }

    /// The wait before try `attempt` (1-based): doubling from the initial delay, capped.
    public func delay(beforeAttempt attempt: Int) -> Duration {
        var delay = initialDelay
        for _ in 1..<max(1, attempt) {
            delay = min(maxDelay, delay * 2)
        }
        return min(delay, maxDelay)
    }
}
