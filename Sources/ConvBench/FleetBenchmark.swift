import ArgumentParser
import ConvEngine
import FleetAgent
import Foundation
import Glibc

/// `convtui-bench fleet`: `convtui agent` processes of simulated sessions, watched by one
/// console's remote panes in this process (the fold `convtui attach` runs). Measures event →
/// remote snapshot latency, what a watcher costs an agent (windows with and without it,
/// alternated), and that after an agent is killed and started again the panes of its new
/// instance equal its logs.
struct FleetBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet", abstract: "Agents of simulated sessions and one attached console: latency, watcher cost, restart.")

    @Option(help: "Agent processes.") var agents = 4
    @Option(help: "Simulated sessions per agent.") var sessions = 250
    @Option(help: "Seconds of each measuring window.") var window: Double = 10
    @Option(help: "Rounds of a window without a watcher, then one with.") var rounds = 3
    @Option(help: "The convtui binary (default: the one next to this benchmark).") var convtui: String?

    private static let token = "fleet-bench-control-token-0123456789"

    func validate() throws {
        guard agents > 0, sessions > 0, window > 0, rounds > 0 else { throw ValidationError("every count must be positive") }
    }

    func run() async throws {
        let binary = convtui ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("convtui").path
        let directory = NSTemporaryDirectory() + "convtui-bench-fleet-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tokenFile = directory + "/control.token"
        guard FileManager.default.createFile(atPath: tokenFile, contents: Data(Self.token.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw BenchmarkError("cannot write \(tokenFile)")
        }
        var config = ""
        for number in 1...sessions { config += "[[session]]\nname = \"s\(number)\"\nbackend = \"sim\"\n\n" }
        try config.write(toFile: directory + "/fleet.toml", atomically: true, encoding: .utf8)

        var running: [AgentProcess] = []
        defer { for agent in running { agent.kill(SIGKILL) } }
        for index in 0..<agents {
            running.append(try await AgentProcess.start(binary, directory: directory, label: "\(index)", port: 0, tokenFile: tokenFile))
        }
        // Every session connected and talking before anything is measured.
        try await Task.sleep(for: .seconds(3))

        let latencies = Locked<[Int64]>([])
        var without: [Double] = []
        var with: [Double] = []
        var consoleCPU: [Double] = []
        var measured: [Int64] = []
        for _ in 0..<rounds {
            without.append(try await Self.agentCPU(running, seconds: window))
            let console = try await Console.attach(running, latencies: latencies)
            // The agent's memory comes first (from=1): measure once it has been taken.
            try await Task.sleep(for: .seconds(2))
            latencies.withLock { $0.removeAll() }
            let cpuBefore = ProcessMetrics.cpuTime()
            with.append(try await Self.agentCPU(running, seconds: window))
            consoleCPU.append((ProcessMetrics.cpuTime() - cpuBefore).seconds / window * 100)
            measured += latencies.withLock { $0 }
            console.detach()
            try await Task.sleep(for: .seconds(1))
        }

        // Kill the first agent, start it again on its port, and compare its new instance's panes
        // with its logs once every session is stopped.
        let console = try await Console.attach(running, latencies: latencies)
        try await Task.sleep(for: .seconds(2))
        running[0].kill(SIGKILL)
        running[0].wait()
        let restartedAt = ContinuousClock.now
        running[0] = try await AgentProcess.start(
            binary, directory: directory, label: "0-again", port: running[0].port, tokenFile: tokenFile)
        let remote = console.agents[0]
        let resumed = await Self.until(seconds: 30) { remote.unreachable == nil && remote.channels.allSatisfy { $0.read().value.state.run == 1 } }
        let resumeSeconds = (ContinuousClock.now - restartedAt).seconds
        try await Task.sleep(for: .seconds(window))
        let client = console.clients[0]
        for number in 1...sessions { _ = await client.perform(.stop, session: number) }
        let settled = await Self.until(seconds: 30) { remote.channels.allSatisfy { !$0.read().value.state.phase.isActive } }
        // The logs' last lines reach the disk within the writers' linger.
        try await Task.sleep(for: .seconds(1))
        let logs = try FileManager.default.contentsOfDirectory(atPath: running[0].logDirectory).filter { $0.hasSuffix(".jsonl") }.sorted()
        var equal = 0
        var joinedMidRun = 0
        for name in logs {
            let log = try SessionLogReader.read(path: running[0].logDirectory + "/" + name)
            guard let index = remote.sessions.firstIndex(where: { $0.number == log.header.sessionNumber }) else { continue }
            if remote.channels[index].read().value.state == log.finalState() { equal += 1 }
            if remote.note(session: index)?.hasPrefix("joined mid-run") == true { joinedMidRun += 1 }
        }
        console.detach()
        for agent in running { agent.kill(SIGTERM) }
        for agent in running { agent.wait() }

        let median = { (values: [Double]) in values.sorted()[values.count / 2] }
        let result: JSONValue = .object([
            ("benchmark", "fleet"),
            ("agents", .int(agents)),
            ("sessions_per_agent", .int(sessions)),
            ("cores", .int(LogStats.cores)),
            ("window_s", .number(window)),
            ("agents_cpu_percent_without_watcher", .array(without.map(JSONValue.number))),
            ("agents_cpu_percent_with_watcher", .array(with.map(JSONValue.number))),
            ("watcher_cost_ratio", .number(median(with) / max(median(without), 0.001))),
            ("console_cpu_percent", .number(median(consoleCPU))),
            ("events_measured", .int(measured.count)),
            ("event_to_remote_snapshot_p50_ms", .number(Double(percentile(measured, 50)) / 1000)),
            ("event_to_remote_snapshot_p99_ms", .number(Double(percentile(measured, 99)) / 1000)),
            ("event_to_remote_snapshot_max_ms", .number(Double(measured.max() ?? 0) / 1000)),
            ("restart_resumed", .bool(resumed)),
            ("restart_resume_s", .number(resumeSeconds)),
            ("restart_settled", .bool(settled)),
            ("restart_panes", .int(remote.channels.count)),
            ("restart_logs", .int(logs.count)),
            ("restart_panes_equal_to_logs", .int(equal)),
            ("restart_panes_joined_mid_run", .int(joinedMidRun)),
        ])
        print(JSONWriter.string(result))
    }

    /// The agents' CPU over `seconds`, in percent of one core, summed.
    private static func agentCPU(_ agents: [AgentProcess], seconds: Double) async throws -> Double {
        let before = agents.map(\.cpuTicks)
        try await Task.sleep(for: .seconds(seconds))
        let ticks = zip(agents.map(\.cpuTicks), before).reduce(0) { $0 + $1.0 - $1.1 }
        return Double(ticks) / Double(sysconf(Int32(_SC_CLK_TCK))) / seconds * 100
    }

    private static func until(seconds: Double, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return condition()
    }

    /// One console's remote panes on the agents, with every folded event's latency recorded.
    private struct Console {
        let agents: [RemoteAgent]
        let clients: [AgentClient]
        let tasks: [Task<Void, Never>]

        static func attach(_ processes: [AgentProcess], latencies: Locked<[Int64]>) async throws -> Console {
            let attachedAt = WallClock.nowMicros()
            var agents: [RemoteAgent] = []
            var clients: [AgentClient] = []
            var tasks: [Task<Void, Never>] = []
            let changes = ChangeSignal()
            var panes = 0
            for process in processes {
                let address = AgentAddress("127.0.0.1:\(process.port)")!
                let client = AgentClient(address: address, token: FleetBenchmark.token)
                let agent = RemoteAgent(host: address.host, sessions: try await client.sessions(), firstPane: panes, changes: changes)
                panes += agent.sessions.count
                let starts = Locked<[Int: Int64]>([:])
                let follower = AgentFollower(address: address, token: FleetBenchmark.token, from: 1) { line in
                    agent.take(line)
                    let now = WallClock.nowMicros()
                    guard let value = try? JSONParser.parse(line), let session = value["session"]?.intValue else { return }
                    if let started = value["started_at_us"]?.doubleValue {
                        starts.withLock { $0[session] = Int64(started) }
                    } else if let t = value["t"]?.doubleValue, let started = starts.withLock({ $0[session] }) {
                        let happened = started + Int64(t * 1_000_000)
                        // Only events that happened since the console attached: the agent's
                        // memory, sent first, is history, not latency.
                        if happened >= attachedAt { latencies.withLock { $0.append(now - happened) } }
                    }
                }
                agents.append(agent)
                clients.append(client)
                tasks.append(Task { await follower.run() })
            }
            return Console(agents: agents, clients: clients, tasks: tasks)
        }

        func detach() {
            for task in tasks { task.cancel() }
        }
    }
}

/// A `convtui agent` child process serving simulated sessions on loopback.
private struct AgentProcess {
    let process: Process
    let port: Int
    let logDirectory: String

    static func start(_ binary: String, directory: String, label: String, port: Int, tokenFile: String) async throws -> AgentProcess {
        let logs = directory + "/logs-\(label)"
        let stderrPath = directory + "/agent-\(label).stderr"
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "agent", directory + "/fleet.toml", "--listen", "127.0.0.1:\(port)", "--token-file", tokenFile, "--record-dir", logs,
        ]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        // A port just freed by a killed agent can take a moment to be free again.
        let deadline = ContinuousClock.now + .seconds(30)
        try process.run()
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on http://127.0.0.1:"), let found = Int(text[range.upperBound...].prefix { $0.isNumber }) {
                return AgentProcess(process: process, port: found, logDirectory: logs)
            }
            if !process.isRunning { throw BenchmarkError("agent \(label) exited: \(text)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw BenchmarkError("agent \(label) did not listen within 30 s")
    }

    /// User plus system CPU ticks so far (`/proc/PID/stat`).
    var cpuTicks: Int {
        guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14 and stime 15 (1-based in proc(5)).
        guard fields.count > 13, let user = Int(fields[11]), let system = Int(fields[12]) else { return 0 }
        return user + system
    }

    func kill(_ signal: Int32) {
        if process.isRunning { Glibc.kill(process.processIdentifier, signal) }
    }

    func wait() { process.waitUntilExit() }
}
