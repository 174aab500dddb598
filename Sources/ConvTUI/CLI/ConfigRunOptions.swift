import ArgumentParser

/// What `run` and `agent` share about running a config's sessions: how long, and whether
/// their agent audio is saved.
struct ConfigRunOptions: ParsableArguments {
    @Option(name: .long, help: "Stop after this many seconds.")
    var duration: Double?

    @Flag(name: .customLong("save-audio"), help: "Write each session's agent and user audio as WAV files beside its log (replay plays them).")
    var saveAudio = false

    func validate() throws {
        try SecondsFlag.check(duration, flag: "--duration")
    }

    /// `--duration` as a duration, nil without one.
    var limit: Duration? { SecondsFlag.duration(duration) }
}
