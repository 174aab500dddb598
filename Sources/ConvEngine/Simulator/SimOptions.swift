/// How the embedded simulator behaves.
public struct SimOptions: Sendable, Equatable {
    /// Same seed, same conversation (per session and run).
    public var seed: UInt64
    /// The persona; by default chosen from the session number.
    public var persona: Persona?
    /// Multiplies every delay: 0.5 makes conversations twice as lively.
    public var pace: Double
    /// Chance that the user barges in on an agent turn.
    public var bargeInRate: Double
    /// Chance that an agent turn starts with a client tool call.
    public var toolCallRate: Double
    public var faults: SimFaults

    public init(
        seed: UInt64 = 1, persona: Persona? = nil, pace: Double = 1.0, bargeInRate: Double = 0.15,
        toolCallRate: Double = 0.08, faults: SimFaults = SimFaults()
    ) {
        self.seed = seed
        self.persona = persona
        self.pace = pace
        self.bargeInRate = bargeInRate
        self.toolCallRate = toolCallRate
        self.faults = faults
    }
}

/// Faults the simulator can inject, to watch a session fail on its own.
public struct SimFaults: Sendable, Equatable {
    /// Drop the connection this long after connecting (the run fails).
    public var disconnectAfter: Duration?
    /// Chance per agent turn of a (non-fatal) server error event.
    public var errorRate: Double
    /// Chance per agent turn of a malformed frame.
    public var malformedRate: Double

    public init(disconnectAfter: Duration? = nil, errorRate: Double = 0, malformedRate: Double = 0) {
        self.disconnectAfter = disconnectAfter
        self.errorRate = errorRate
        self.malformedRate = malformedRate
    }
}
