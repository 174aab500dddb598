import ArgumentParser
import ConvEngine
import FleetAgent
import Foundation

/// `convtui agent CONFIG.toml --listen HOST:PORT --token-file F`: a config's sessions run
/// headless and recorded, served over HTTP and WebSocket (docs/fleet.md).
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run a config's sessions headless and serve them to consoles and Prometheus (see docs/fleet.md).",
        discussion: """
            The sessions run and record as with `convtui run`. The agent serves GET /healthz, GET /v1/sessions, \
            GET /metrics (Prometheus text), GET /v1/watch?from=SEQ&session=N&batch=1&logs=0 (WebSocket: every event \
            as its log line with the agent's sequence number; the past older than its memory is read from the \
            sessions' logs unless logs=0) and POST /v1/sessions/N/start|stop|restart|send|context|tool-answer|\
            approve|deny|feedback|end|mark. \
            Every request but /healthz needs `Authorization: Bearer TOKEN`; only the control token may POST. \
            Token files must not be readable by others (chmod 600). A non-loopback --listen needs --tls-cert and \
            --tls-key, or --insecure. Runs until SIGINT, SIGTERM or SIGHUP (or --duration).
            """)

    @Argument(help: "The config file (TOML).")
    var config: String

    @Option(name: .long, help: ArgumentHelp("Address to listen on, e.g. 127.0.0.1:7070 or [::1]:7070.", valueName: "host:port"))
    var listen: String

    @Option(name: .customLong("token-file"), help: ArgumentHelp("File holding the control token (watch and control).", valueName: "file"))
    var tokenFile: String

    @Option(name: .customLong("read-only-token-file"), help: ArgumentHelp("File holding a token that may only read and watch.", valueName: "file"))
    var readOnlyTokenFile: String?

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("PEM certificate chain: serve HTTPS and WSS.", valueName: "file"))
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("PEM private key of --tls-cert.", valueName: "file"))
    var tlsKey: String?

    @Flag(name: .long, help: "Allow plain HTTP on a non-loopback address (tokens and transcripts travel in the clear).")
    var insecure = false

    @Flag(name: .customLong("metrics-session-labels"), help: "Label every metric series with the session's name too.")
    var metricsSessionLabels = false

    @Option(name: .customLong("max-connections"), help: "Connections served at once.")
    var maxConnections = 64

    @OptionGroup var recording: RecordingOptions

    @OptionGroup var runOptions: ConfigRunOptions

    func validate() throws {
        guard AgentOptions.parseListen(listen) != nil else { throw ValidationError("--listen must be HOST:PORT, e.g. 127.0.0.1:7070") }
        guard (tlsCertificate == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let (host, port) = AgentOptions.parseListen(listen)!
        var options = AgentOptions(
            host: host, port: port,
            tls: tlsCertificate.map { AgentOptions.TLSFiles(certificate: $0, key: tlsKey!) })
        options.labelSessions = metricsSessionLabels
        options.maxConnections = maxConnections
        if let problem = options.securityProblem(insecure: insecure) { throw ValidationError(problem) }
        let tokens: AccessTokens
        do {
            tokens = try AccessTokens(
                control: AccessTokens.load(path: tokenFile), readOnly: readOnlyTokenFile.map(AccessTokens.load(path:)))
        } catch {
            throw ValidationError(error.description)
        }
        let loaded: ConsoleConfig
        do {
            loaded = try ConsoleConfig.load(path: config, environment: environment)
        } catch {
            throw ValidationError(error.description)
        }
        guard loaded.remotes.isEmpty else {
            throw ValidationError("\(config): [[remote]] tables are for a console (convtui run); an agent serves only its own sessions")
        }
        // A watcher may start before the ring when the sessions keep logs to read the past from.
        let journal = EventJournal(historyLimit: recording.noRecord ? nil : EventJournal.defaultHistoryLimit)
        let metrics = AgentMetrics(sessions: loaded.sessions.map { ($0.backend.rawValue, $0.name) }, labelSessions: metricsSessionLabels)
        let configured = try ConfiguredBoard(config: loaded, recording: recording, saveAudio: runOptions.saveAudio, environment: environment) {
            number, name, event in
            journal.record(session: number, name: name, event)
            metrics.observe(session: number, event)
        }
        let board = configured.board
        let output = HeadlessOutput()
        let players = board.scriptPlayers(config: loaded) { message in output.diagnostic("error: \(message)") }
            .map { player in Task { await player.run() } }
        let server = AgentServer(board: board, journal: journal, metrics: metrics, tokens: tokens, options: options)
        let bound: Int
        do {
            bound = try await server.start()
        } catch {
            await board.shutdown(reason: "agent could not listen")
            throw ValidationError("cannot listen on \(listen): \(error)")
        }
        board.startAutostarted()
        let alertWatch = Task { await board.watchAlerts() }
        let scheme = options.tls == nil ? "http" : "https"
        let shownHost = host.contains(":") ? "[\(host)]" : host
        output.diagnostic("convtui agent: \(board.sessions.count) sessions, listening on \(scheme)://\(shownHost):\(bound)")
        let reason = await Self.waitForStop(duration: runOptions.limit)
        await server.stop()
        alertWatch.cancel()
        for player in players { player.cancel() }
        await board.shutdown(reason: reason.rawValue)
        if let logDirectory = configured.logDirectory {
            output.diagnostic("convtui: session logs in \(TextSanitizer.sanitize(logDirectory))")
        }
        let problems = board.recordingProblems()
        for problem in problems { output.diagnostic("convtui: \(problem)") }
        if !problems.isEmpty { throw ExitCode.failure }
    }

    /// Waits for a stop signal, the end of `duration` or (given `stdout`) its reader going
    /// away; says which.
    static func waitForStop(duration: Duration?, stdout: HeadlessOutput? = nil) async -> StopReason {
        let (stops, continuation) = AsyncStream.makeStream(of: StopReason.self)
        let signals = StopSignals { _ in continuation.yield(.signal) }
        stdout?.whenStdoutCloses { continuation.yield(.stdoutClosed) }
        let timer = duration.map { limit in
            Task {
                try? await Task.sleep(for: limit)
                continuation.yield(.duration)
            }
        }
        var iterator = stops.makeAsyncIterator()
        let reason = await iterator.next() ?? .signal
        timer?.cancel()
        signals.cancel()
        return reason
    }
}
