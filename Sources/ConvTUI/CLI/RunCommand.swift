import ConsoleCore
import ArgumentParser
import ConvEngine
import Foundation

/// `convtui run CONFIG.toml`: the sessions of a config file, on real backends or the simulator.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the sessions of a config file (see docs/config.md).",
        discussion: """
            Each [[session]] talks to its backend (sim, elevenlabs or openai). Keys come only from \
            the environment variables the config names. With --headless, events are JSON lines on \
            stdout and line commands are read on stdin, as for `convtui demo --headless`. In the \
            console, L listens in on the focused pane's agent audio through the sound server \
            (PulseAudio; docs/audio.md), T talks into the focused session from the microphone \
            (push-to-talk; T again stops) and each pane's header meters the user's and agent's levels. \
            Each [[remote]] table adds the sessions of a running `convtui agent` as panes after the config's own \
            (docs/fleet.md); they keep running when the console quits.
            """)

    @Argument(help: "The config file (TOML).")
    var config: String

    @OptionGroup var recording: RecordingOptions

    @Flag(name: .long, help: "No screen: events as JSON lines on stdout, line commands on stdin (`help` lists them).")
    var headless = false

    @OptionGroup var options: ConfigRunOptions

    func run() async throws {
        try TerminalRequirement.check(headless: headless)
        let environment = ProcessInfo.processInfo.environment
        let loaded: ConsoleConfig
        do {
            loaded = try ConsoleConfig.load(path: config, environment: environment)
        } catch {
            throw ValidationError(error.description)
        }
        if headless, !loaded.remotes.isEmpty {
            throw ValidationError("\(config): [[remote]] agents are shown in the console; for their events use convtui attach --headless URL...")
        }
        let output = headless ? HeadlessOutput.queued() : HeadlessOutput()
        var observer: (@Sendable (Int, String, SessionEvent) -> Void)?
        if headless {
            observer = { number, name, event in output.event(session: number, name: name, event) }
        }
        // Listening in and the meters are the console's: headless runs keep no audio for them.
        let listenTap = headless ? nil : ListenTap()
        let levelMeters = headless ? nil : LevelMeters()
        let configured = try ConfiguredBoard(
            config: loaded, recording: recording, saveAudio: options.saveAudio, environment: environment, listenTap: listenTap,
            levelMeters: levelMeters, observer: observer)
        let board = configured.board
        // On the console, stderr would scribble over the screen: script errors go to the status bar.
        let notices = SnapshotChannel<String?>(nil)
        let headless = headless
        let players = board.scriptPlayers(config: loaded) { message in
            if headless { output.diagnostic("error: \(message)") } else { notices.publish(message) }
        }.map { player in
            Task { await player.run() }
        }
        let logDirectory = configured.logDirectory
        let limit = options.limit
        if headless {
            await HeadlessRunner(board: board, output: output, logDirectory: logDirectory).run(duration: limit)
        } else {
            let player = listenTap.map { ListenPlayer(sessions: board.sessions, tap: $0) }
            player?.start()
            let talker = TalkCapture(
                sessions: board.sessions,
                formats: loaded.sessions.map { TalkCapture.Format(sampleRate: $0.audioRate, chunkMilliseconds: $0.chunkMilliseconds) })
            let local = BoardDriver(
                board: board, logDirectory: logDirectory, notices: notices, listening: player, levelMeters: levelMeters, talking: talker)
            // Agents are listed before anything starts: one that cannot be reached stops the run here.
            let changes = board.changes ?? ChangeSignal()
            let attached: AttachedAgents
            do {
                attached = try await AttachedAgents.connect(
                    loaded.remotes.map { .init(address: $0.address, token: $0.token.value, insecure: $0.insecure) }, silenceTimeout: .seconds(20),
                    firstPane: board.sessions.count, changes: changes)
            } catch {
                for player in players { player.cancel() }
                player?.stop()
                await board.shutdown(reason: StopReason.quit.rawValue)
                throw error
            }
            board.startAutostarted()
            let alertWatch = Task { await board.watchAlerts() }
            let following = attached.follow()
            if loaded.remotes.isEmpty {
                await ConsoleRuntime(driver: local).run(duration: limit, environment: environment)
            } else {
                await ConsoleRuntime(driver: BoardAndAgentsDriver(board: local, remote: attached.driver(changes: changes)))
                    .run(duration: limit, environment: environment)
            }
            for task in following { task.cancel() }
            alertWatch.cancel()
            player?.stop()
        }
        for player in players { player.cancel() }
        let problems = board.recordingProblems()
        for problem in problems { output.diagnostic("convtui: \(problem)") }
        // A recording that failed is a failed run, even if every session ended well.
        if !problems.isEmpty { throw ExitCode.failure }
    }
}
