import ConsoleCore
import ArgumentParser
import ConvEngine
import Foundation

/// `convtui demo`: simulated sessions on the embedded simulator.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run simulated conversations in the full-screen console (the default command).",
        discussion: """
            Sessions play built-in personas (one answers in Chinese) with streamed replies, \
            pings, barge-ins and optional faults. The same seed gives the same conversations.
            """)

    @Option(name: .long, help: "How many sessions (1-1000).")
    var sessions = 4

    @Option(name: .long, help: "Seed for the simulator.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Multiply the simulator's delays (0.5 = twice as lively).")
    var pace = 1.0

    @Option(name: .customLong("disconnect-after"), help: ArgumentHelp("Fault: drop each session's connection this many seconds after it connects (the run fails).", valueName: "seconds"))
    var disconnectAfter: Double?

    @Option(name: .customLong("error-rate"), help: ArgumentHelp("Fault: chance per agent turn of a (non-fatal) server error event.", valueName: "0-1"))
    var errorRate = 0.0

    @Option(name: .customLong("malformed-rate"), help: ArgumentHelp("Fault: chance per agent turn of a malformed frame.", valueName: "0-1"))
    var malformedRate = 0.0

    @OptionGroup var recording: RecordingOptions

    @Flag(name: .long, help: "No screen: events as JSON lines on stdout, line commands on stdin (`help` lists them).")
    var headless = false

    @Option(name: .long, help: "Stop after this many seconds.")
    var duration: Double?

    func validate() throws {
        guard (1...1000).contains(sessions) else { throw ValidationError("--sessions must be between 1 and 1000") }
        guard pace > 0, pace <= 100 else { throw ValidationError("--pace must be above 0 and at most 100") }
        try SecondsFlag.check(duration, flag: "--duration")
        try SecondsFlag.check(disconnectAfter, flag: "--disconnect-after")
        guard (0...1).contains(errorRate), (0...1).contains(malformedRate) else {
            throw ValidationError("--error-rate and --malformed-rate must be between 0 and 1")
        }
    }

    func run() async throws {
        try TerminalRequirement.check(headless: headless)
        let directory = try recording.makeDirectory(environment: ProcessInfo.processInfo.environment)
        let faults = SimFaults(
            disconnectAfter: SecondsFlag.duration(disconnectAfter), errorRate: errorRate, malformedRate: malformedRate)
        let options = SimOptions(seed: seed, pace: pace, faults: faults)
        let output = headless ? HeadlessOutput.queued() : HeadlessOutput()
        var observer: (@Sendable (Int, String, SessionEvent) -> Void)?
        if headless {
            observer = { number, name, event in output.event(session: number, name: name, event) }
        }
        let board: SessionBoard
        do {
            board = try SessionBoard.simulated(count: sessions, options: options, recording: directory, observer: observer)
        } catch {
            throw ValidationError("cannot create a session log: \(error)")
        }
        let limit = SecondsFlag.duration(duration)
        if headless {
            await HeadlessRunner(board: board, output: output, logDirectory: directory?.path).run(duration: limit)
        } else {
            board.startAll()
            let alertWatch = Task { await board.watchAlerts() }
            await ConsoleRuntime(driver: BoardDriver(board: board, logDirectory: directory?.path))
                .run(duration: limit, environment: ProcessInfo.processInfo.environment)
            alertWatch.cancel()
        }
        let problems = board.recordingProblems()
        for problem in problems { output.diagnostic("convtui: \(problem)") }
        // A recording that failed is a failed run, even if every session ended well.
        if !problems.isEmpty { throw ExitCode.failure }
    }
}
