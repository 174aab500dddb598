/// What the alert rules need to remember about a session beyond its state: recent error and
/// reconnect times and since when something waits on the operator. Folded by the reducer,
/// so replay and live keep it alike.
public struct AlertWatch: Sendable, Equatable {
    /// Offsets of the newest errors and reconnects (run starts and `reconnecting` errors), at
    /// most ``capacity`` each, oldest first.
    public internal(set) var errors: [Int64] = []
    public internal(set) var reconnects: [Int64] = []
    /// Since when a tool call or an MCP approval waits, nil while nothing does.
    public internal(set) var pendingSince: Int64?

    /// The largest burst or loop count a rule may ask for.
    public static let capacity = 16

    public init() {}

    mutating func error(at offset: Int64) { Self.push(offset, to: &errors) }
    mutating func reconnect(at offset: Int64) { Self.push(offset, to: &reconnects) }

    /// How many of `times` fall within `seconds` before `now`.
    static func count(_ times: [Int64], within seconds: Double, before now: Int64) -> Int {
        let start = now - Int64(seconds * 1_000_000)
        return times.reversed().prefix { $0 >= start }.count
    }

    private static func push(_ offset: Int64, to times: inout [Int64]) {
        times.append(offset)
        if times.count > capacity { times.removeFirst() }
    }
}
