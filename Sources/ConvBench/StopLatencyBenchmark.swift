import ArgumentParser
import ConvEngine
import Glibc
import SimServer

/// How promptly `stop()` ends a session whatever the server does: ElevenLabs sessions on a
/// real loopback socket to a server that has stalled (socket open, nothing sent), stopped one
/// at a time; then stop-all of a large board of in-process simulator sessions.
struct StopLatencyBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop-latency",
        abstract: "stop() against a stalled ElevenLabs server, one at a time; then stop-all of many sim sessions.")

    @Option(help: "ElevenLabs sessions against the stalled in-process sim-server.") var sessions = 50
    @Option(name: .customLong("stall-after"), help: "Seconds after a conversation opens until the server stops sending.")
    var stallAfter = 2.0
    @Option(help: "In-process simulator sessions for stop-all.") var simulated = 1000
    @Option(help: "Seconds the simulator sessions run before stop-all.") var simulatedSeconds = 3.0

    func run() async throws {
        let stalled = try await stopStalledSessions()
        let board = try await stopAllSimulated()
        let result: JSONValue = .object(
            [("benchmark", "stop-latency"), ("cores", .int(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))] + stalled + board)
        print(JSONWriter.string(result))
    }

    /// Stops each session of a stalled server in turn, timing the call and the run's end.
    private func stopStalledSessions() async throws -> [(String, JSONValue)] {
        let stall = Duration.milliseconds(Int64(stallAfter * 1000))
        var serverOptions = SimServerOptions(port: 0, stallAfter: stall)
        // The sessions ask for text only, an override the agent must allow.
        var agent = ElevenLabsSimAgent()
        agent.persona = "ava"
        agent.allowedOverrides = ["conversation.text_only"]
        serverOptions.elevenLabsAgents = ["ava": agent]
        let server = SimServer(options: serverOptions)
        let port = try await server.start()
        let options = ElevenLabsOptions(baseURL: "ws://127.0.0.1:\(port)", agentId: "ava", textOnly: true)
        let board = try SessionBoard((1...sessions).map { number in
            try ConversationSession(
                number: number, name: "el-\(number)", backend: "elevenlabs",
                // Stalled sessions must stay live until stopped, however long the board takes to connect.
                makeTransport: ElevenLabsTransport.factory(options, settings: .init(receiveTimeout: nil)))
        })
        board.startAll()
        let clock = ContinuousClock()
        let connecting = clock.now
        guard await waitUntil(timeout: .seconds(30), { board.sessions.allSatisfy { $0.snapshot.state.phase.isLive } }) else {
            await server.stop()
            throw BenchmarkError("only \(board.phaseCounts()["live", default: 0]) of \(sessions) sessions went live")
        }
        let allLive = clock.now
        // The stall counts per conversation from its opening; the last one opened before `allLive`.
        try await Task.sleep(until: allLive + stall + .milliseconds(500), clock: .continuous)

        var calls: [Int64] = []
        var untilEnded: [Int64] = []
        var untilSocketClosed: [Int64] = []
        for session in board.sessions {
            let open = server.openConversationCount
            let started = clock.now
            session.stop()
            let returned = clock.now
            _ = await waitUntil(timeout: .seconds(5)) { !session.snapshot.state.phase.isActive }
            untilEnded.append(Self.micros(started.duration(to: clock.now)))
            calls.append(Self.micros(started.duration(to: returned)))
            // The closing handshake runs after stop() has returned; the server sees its end.
            _ = await waitUntil(timeout: .seconds(5)) { server.openConversationCount < open }
            untilSocketClosed.append(Self.micros(started.duration(to: clock.now)))
        }
        let endPhases = board.phaseCounts()
        await board.shutdown()
        await server.stop()
        return [
            ("stalled_sessions", .int(sessions)),
            ("stall_after_s", .number(stallAfter)),
            ("connect_all_ms", .number(connecting.duration(to: allLive).seconds * 1000)),
            ("stop_call_p50_ms", .number(Double(percentile(calls, 50)) / 1000)),
            ("stop_call_p99_ms", .number(Double(percentile(calls, 99)) / 1000)),
            ("stop_until_ended_p50_ms", .number(Double(percentile(untilEnded, 50)) / 1000)),
            ("stop_until_ended_p99_ms", .number(Double(percentile(untilEnded, 99)) / 1000)),
            ("stop_until_ended_max_ms", .number(Double(untilEnded.max() ?? 0) / 1000)),
            ("stop_until_server_closed_p50_ms", .number(Double(percentile(untilSocketClosed, 50)) / 1000)),
            ("stop_until_server_closed_p99_ms", .number(Double(percentile(untilSocketClosed, 99)) / 1000)),
            ("stalled_ended", .int(endPhases["ended", default: 0])),
            ("stalled_failed", .int(endPhases["failed", default: 0])),
        ]
    }

    /// Stop-all of a board of simulator sessions: the call, and until every run has ended.
    private func stopAllSimulated() async throws -> [(String, JSONValue)] {
        let board = try SessionBoard.simulated(count: simulated, options: SimOptions(seed: 42, pace: 0.75), recording: nil)
        board.startAll()
        try await Task.sleep(for: .milliseconds(Int64(simulatedSeconds * 1000)))
        let live = board.phaseCounts()["live", default: 0]
        let clock = ContinuousClock()
        let started = clock.now
        board.stopAll()
        let call = started.duration(to: clock.now)
        _ = await waitUntil(timeout: .seconds(10)) { !board.sessions.contains { $0.snapshot.state.phase.isActive } }
        let untilEnded = started.duration(to: clock.now)
        await board.shutdown()
        return [
            ("simulated_sessions", .int(simulated)),
            ("simulated_live_at_stop", .int(live)),
            ("stop_all_call_ms", .number(call.seconds * 1000)),
            ("stop_all_until_ended_ms", .number(untilEnded.seconds * 1000)),
        ]
    }

    /// Polls `condition` every 100 µs, so the measured time is at most that much late.
    private func waitUntil(timeout: Duration, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .microseconds(100))
        }
        return true
    }

    private static func micros(_ duration: Duration) -> Int64 {
        Int64(duration.seconds * 1_000_000)
    }
}
