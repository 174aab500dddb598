/// Where `--save-audio` puts a session's audio: beside its log, with the log's name.
///
/// `STAMP-NN-name.jsonl` gets `STAMP-NN-name.agent.wav` (the agent's audio as it arrived) and
/// `STAMP-NN-name.user.wav` (the user's audio as convtui sent it), so every run's audio stays
/// with its own log and a replay finds it from the log's path alone.
public struct SavedAudioFiles: Sendable, Equatable {
    public let agent: String
    public let user: String

    /// The files of the log at `logPath` (its `.jsonl` extension, if any, replaced).
    public init(logPath: String) {
        let base = logPath.hasSuffix(".jsonl") ? String(logPath.dropLast(".jsonl".count)) : logPath
        self.init(base: base)
    }

    /// The files named `base.agent.wav` and `base.user.wav`.
    public init(base: String) {
        agent = base + ".agent.wav"
        user = base + ".user.wav"
    }

    /// The path of `side`'s file.
    public func path(of side: LevelMeters.Side) -> String {
        switch side {
        case .agent: agent
        case .user: user
        }
    }
}
