/// Whose audio listening in plays: the agent's (as it arrives), the user's (the audio convtui
/// sends: a config's WAV, push-to-talk), or both, mixed.
public enum ListenSource: Sendable, Equatable, CaseIterable {
    case agent, user, both

    /// The next choice of `H`: agent, user, both, agent…
    public var next: ListenSource {
        switch self {
        case .agent: .user
        case .user: .both
        case .both: .agent
        }
    }

    /// How the status bar and the notices name it.
    public var label: String {
        switch self {
        case .agent: "agent"
        case .user: "user"
        case .both: "agent+user"
        }
    }

    /// Whether audio from `side` is played.
    public func includes(_ side: LevelMeters.Side) -> Bool {
        switch self {
        case .agent: side == .agent
        case .user: side == .user
        case .both: true
        }
    }
}
