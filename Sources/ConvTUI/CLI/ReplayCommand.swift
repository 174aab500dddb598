import ConsoleCore
import ArgumentParser
import ConvEngine
import Foundation

/// `convtui replay`: recorded sessions side by side on one timeline.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay session logs side by side on one timeline.",
        discussion: """
            Each log gets a pane; one clock drives them all. A directory stands for every \
            *.jsonl log in it, sorted by name (a recording directory replays whole). With --headless, prints each \
            session's snapshot at the given time as one JSON line (the shape of the headless \
            `snapshot` command) and exits. A log that cannot be read still gets a line, in the \
            `failed` phase with the reason.
            """)

    @Argument(help: ArgumentHelp("Session logs (.jsonl), or directories of them.", valueName: "log"))
    var logs: [String]

    @Option(name: .long, help: "Place logs by their recorded start time (wallclock) or all from zero (start).")
    var align: ReplayAlignment = .wallClock

    @Option(name: .customLong("idle-limit"), help: ArgumentHelp("Shorten silences longer than this many seconds to it.", valueName: "seconds"))
    var idleLimit: Double?

    @Option(name: .long, help: "Playback speed, 0.25 to 64 (rounded to a power of two).")
    var speed = 1.0

    @Flag(name: .long, help: "No screen: print each session's snapshot at --to and exit.")
    var headless = false

    @Option(name: .long, help: ArgumentHelp("With --headless: `end`, or a timeline time in seconds.", valueName: "end|seconds"))
    var to = "end"

    func validate() throws {
        guard !logs.isEmpty else { throw ValidationError("name at least one log") }
        try SecondsFlag.check(idleLimit, flag: "--idle-limit")
        guard speed >= 0.25, speed <= 64 else { throw ValidationError("--speed must be between 0.25 and 64") }
        guard target != nil else { throw ValidationError("--to must be `end` or a non-negative number of seconds") }
    }

    /// Where `--to` points, in timeline µs; `nil` when it is neither `end` nor a time.
    var target: ReplayTarget? {
        if to == "end" { return .end }
        guard let seconds = Double(to), seconds >= 0, seconds < 1e12 else { return nil }
        return .time(Int64((seconds * 1_000_000).rounded()))
    }

    enum ReplayTarget: Equatable {
        case end
        case time(Int64)
    }

    func run() async throws {
        try TerminalRequirement.check(headless: headless)
        let paths: [String]
        do {
            paths = try LogArguments.expand(logs)
        } catch {
            HeadlessOutput().diagnostic("convtui: \(TextSanitizer.sanitize(error.description))")
            throw ExitCode.failure
        }
        let spool = ReplaySpool(paths)
        defer { spool.remove() }
        let player = ReplayPlayer(
            paths: spool.paths, alignment: align, idleLimit: idleLimit.map { .microseconds(Int64(($0 * 1_000_000).rounded())) }, speed: speed,
            prepareCheckpoints: !headless)
        let output = HeadlessOutput()
        for problem in spool.problems { output.diagnostic("convtui: \(TextSanitizer.sanitize(problem))") }
        for pane in player.panes {
            if let failure = pane.failure {
                output.diagnostic("convtui: \(TextSanitizer.sanitize(pane.path)): \(failure)")
            }
            for problem in pane.problems {
                output.diagnostic("convtui: \(TextSanitizer.sanitize(pane.path)): \(problem)")
            }
        }
        guard headless else {
            player.catchUpBudget = ReplayDriver.catchUpBudget
            // Audio saved beside the logs (`--save-audio`) is found from their own paths, not the spool's.
            let audio = zip(paths, spool.paths).map { original, replayed in original == replayed ? ReplayAudio.load(logPath: original) : nil }
            for (path, saved) in zip(paths, audio) {
                for problem in saved?.problems ?? [] { output.diagnostic("convtui: \(TextSanitizer.sanitize(path)): \(problem)") }
            }
            let sound = ReplaySound(player: player, audio: audio)
            let listener = sound.map { ReplayListenPlayer(sound: $0) }
            listener?.start()
            await ConsoleRuntime(driver: ReplayDriver(player: player, alignment: align, sound: sound, listening: listener))
                .run(duration: nil, environment: ProcessInfo.processInfo.environment)
            listener?.stop()
            return
        }
        switch target {
        case .time(let time): player.seek(to: time)
        case .end, nil: player.goToEnd()
        }
        for pane in player.panes {
            output.json(pane.snapshots.read().value.json)
        }
        if player.panes.contains(where: { $0.failure != nil }) { throw ExitCode.failure }
    }
}

extension ReplayAlignment: ExpressibleByArgument {}
