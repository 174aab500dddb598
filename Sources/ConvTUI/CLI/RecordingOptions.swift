import ArgumentParser
import ConvEngine

/// Where session logs go, shared by every command that runs sessions.
struct RecordingOptions: ParsableArguments {
    @Option(name: .customLong("record-dir"), help: ArgumentHelp(
        "Directory for session logs (created 0700).",
        discussion: "Default: $XDG_STATE_HOME/convtui/logs, else ~/.local/state/convtui/logs.",
        valueName: "dir"))
    var recordDirectory: String?

    @Flag(name: .customLong("no-record"), help: "Do not write session logs.")
    var noRecord = false

    /// The directory to record into, created now, or nil with `--no-record`.
    func makeDirectory(environment: [String: String]) throws -> RecordingDirectory? {
        if noRecord { return nil }
        let path = recordDirectory ?? RecordingDirectory.defaultPath(environment: environment)
        do {
            return try RecordingDirectory(path: path)
        } catch {
            throw ValidationError("cannot create the log directory: \(error)")
        }
    }
}
