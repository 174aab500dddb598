/// One connection's share of the server: how many bytes it may send per second (a token
/// bucket that starts full, so a first burst passes at once).
///
/// ``SimConnectionGuard`` spends it on every read from the socket and, once it is overspent,
/// reads nothing more from that connection until it is not: the client's bytes wait in the
/// kernel and TCP pushes back, so a flooding client slows itself down, and neither its work nor
/// its buffered messages grow without bound (docs/sim-server.md, "Fairness").
struct SimInboundBudget {
    let bytesPerSecond: Int
    /// What may be spent at once.
    let burst: Int
    private var credit: Double
    private var updatedAt: ContinuousClock.Instant

    init(bytesPerSecond: Int, burst: Int, now: ContinuousClock.Instant) {
        self.bytesPerSecond = bytesPerSecond
        self.burst = burst
        self.credit = Double(burst)
        self.updatedAt = now
    }

    /// Spends `bytes` at `now` and returns how long to wait before reading more (zero if in credit).
    mutating func spend(_ bytes: Int, at now: ContinuousClock.Instant) -> Duration {
        let elapsed = updatedAt.duration(to: now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        credit = min(Double(burst), credit + seconds * Double(bytesPerSecond)) - Double(bytes)
        updatedAt = now
        guard credit < 0 else { return .zero }
        return .nanoseconds(Int64((-credit / Double(bytesPerSecond) * 1e9).rounded(.up)))
    }
}
