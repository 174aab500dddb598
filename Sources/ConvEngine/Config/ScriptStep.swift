/// One thing a session's script does once the session is live: wait, then say or play something.
public struct ScriptStep: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        case text(String)
        /// Audio already read from a WAV file and brought to the backend's rate.
        case audio(AudioChunk, file: String)
    }

    /// Wait after the previous step (or after connecting, for the first).
    public var delay: Duration
    public var action: Action

    public init(delay: Duration, action: Action) {
        self.delay = delay
        self.action = action
    }
}
