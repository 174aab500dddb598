import ArgumentParser
import ConvEngine

/// The board of a config file's sessions, recording as the flags say: what `run` and `agent`
/// both start from.
struct ConfiguredBoard {
    let board: SessionBoard
    /// The log directories in use, comma-separated; nil when nothing records.
    let logDirectory: String?

    init(
        config loaded: ConsoleConfig, recording: RecordingOptions, saveAudio: Bool, environment: [String: String],
        listenTap: ListenTap? = nil, levelMeters: LevelMeters? = nil, observer: (@Sendable (Int, String, SessionEvent) -> Void)?
    ) throws {
        // One directory object per distinct path, so logs of one invocation share a stamp.
        var directories: [String: RecordingDirectory] = [:]
        let openDirectory = { (entry: SessionConfig) throws(LogWriteError) -> RecordingDirectory? in
            if recording.noRecord { return nil }
            let path = recording.recordDirectory ?? entry.recordDir ?? RecordingDirectory.defaultPath(environment: environment)
            if let known = directories[path] { return known }
            let directory = try RecordingDirectory(path: path)
            directories[path] = directory
            return directory
        }
        let audioDirectory = saveAudio ? (recording.noRecord ? "." : recording.recordDirectory ?? loaded.sessions.first?.recordDir ?? RecordingDirectory.defaultPath(environment: environment)) : nil
        do {
            board = try SessionBoard(
                config: loaded, recording: openDirectory, saveAudioDirectory: audioDirectory, listenTap: listenTap,
                levelMeters: levelMeters, observer: observer)
        } catch {
            throw ValidationError("cannot create a session log: \(error)")
        }
        let joined = directories.keys.sorted().joined(separator: ", ")
        logDirectory = joined.isEmpty ? nil : joined
    }
}
