/// Where a session is in its life. A session can go round this cycle any number of times:
/// `idle → connecting → live(activity) → stopping → ended(reason) | failed(error) → connecting → …`
public enum SessionPhase: Sendable, Equatable {
    case idle
    case connecting
    case live(Activity)
    case stopping
    case ended(reason: String)
    case failed(error: String)

    /// What a live conversation is doing right now.
    public enum Activity: String, Sendable, Equatable, CaseIterable {
        case listening
        case userSpeaking = "user_speaking"
        case agentThinking = "agent_thinking"
        case agentSpeaking = "agent_speaking"
    }

    /// The phase's short name, as printed in headless output and logs.
    public var name: String {
        switch self {
        case .idle: "idle"
        case .connecting: "connecting"
        case .live: "live"
        case .stopping: "stopping"
        case .ended: "ended"
        case .failed: "failed"
        }
    }

    /// True while a run is under way (it can receive events or is shutting down).
    public var isActive: Bool {
        switch self {
        case .connecting, .live, .stopping: true
        case .idle, .ended, .failed: false
        }
    }

    public var isLive: Bool {
        if case .live = self { return true }
        return false
    }

    public var activity: Activity? {
        if case .live(let activity) = self { return activity }
        return nil
    }

    /// The end reason or the failure, if the session is over.
    public var detail: String? {
        switch self {
        case .ended(let reason): reason
        case .failed(let error): error
        default: nil
        }
    }
}
