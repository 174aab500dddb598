import ArgumentParser
import ConvEngine
import Glibc

/// Many simulated sessions with a reader draining every snapshot channel, as the console
/// would: CPU, memory, threads and event→snapshot latency, then stop-all.
struct EngineScaleBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine-scale",
        abstract: "N sim sessions at about 10 events/s each, recorded, read at 30 Hz.")

    @Option(help: "Sessions.") var sessions = 1000
    @Option(help: "Measured seconds (after warm-up).") var seconds = 30.0
    @Option(help: "Warm-up seconds.") var warmup = 3.0
    @Option(help: "Simulator pace (0.75 gives about 10 events/s per session).") var pace = 0.75
    @Option(help: "Reader polls per second.") var readerHz = 30.0
    @Option(help: "Directory for the session logs (default: a new temporary directory).") var recordDir: String?
    @Flag(help: "Run with every alert rule off (and no alert check each second), to weigh what the rules cost.")
    var noAlerts = false
    @Flag(help: "Run without measuring turns (no turn metrics), to weigh what measuring costs.") var noMetrics = false

    func run() async throws {
        let directory = try RecordingDirectory(path: recordDir ?? makeTemporaryPath())
        let board = try SessionBoard.simulated(
            count: sessions, options: SimOptions(seed: 42, pace: pace), recording: directory,
            alertRules: noAlerts ? .off : AlertRules(), measuresTurns: !noMetrics)
        board.startAll()
        // As the console and headless do: the time-driven rules are checked once a second.
        let alertWatch = noAlerts ? nil : Task { await board.watchAlerts() }
        var versions = [UInt64](repeating: 0, count: sessions)
        var latencies: [Int64] = []
        latencies.reserveCapacity(Int(seconds * readerHz) * sessions / 2)
        let period = Duration.microseconds(Int64(1_000_000 / readerHz))

        func drain(recording: Bool) {
            for (i, session) in board.sessions.enumerated() {
                guard let (version, snapshot) = session.snapshots.read(ifNewerThan: versions[i]) else { continue }
                versions[i] = version
                if recording { latencies.append(session.currentOffset() - snapshot.state.lastEventAt) }
            }
        }

        var next = ContinuousClock.now
        let warmupEnd = next + .milliseconds(Int64(warmup * 1000))
        while ContinuousClock.now < warmupEnd {
            drain(recording: false)
            next += period
            try await Task.sleep(until: next, clock: .continuous)
        }
        let eventsBefore = totalEvents(board)
        let cpuBefore = ProcessMetrics.cpuTime()
        let wallBefore = ContinuousClock.now
        let end = wallBefore + .milliseconds(Int64(seconds * 1000))
        var maxThreads = 0
        while ContinuousClock.now < end {
            drain(recording: true)
            maxThreads = max(maxThreads, ProcessMetrics.threadCount())
            next += period
            try await Task.sleep(until: next, clock: .continuous)
        }
        let wall = (ContinuousClock.now - wallBefore).seconds
        let cpu = (ProcessMetrics.cpuTime() - cpuBefore).seconds
        let events = totalEvents(board) - eventsBefore
        alertWatch?.cancel()

        let clock = ContinuousClock()
        var stopCalls: [Int64] = []
        let stopAll = clock.measure {
            for session in board.sessions {
                let one = clock.measure { session.stop() }
                stopCalls.append(Int64(one.seconds * 1_000_000))
            }
        }
        let allEnded = await clock.measure {
            while board.sessions.contains(where: { $0.snapshot.state.phase.isActive }) {
                try? await Task.sleep(for: .milliseconds(1))
            }
        }
        await board.shutdown()

        let result: JSONValue = .object([
            ("benchmark", "engine-scale"),
            ("sessions", .int(sessions)),
            ("alerts", .bool(!noAlerts)),
            ("metrics", .bool(!noMetrics)),
            ("seconds", .number(wall)),
            ("events_per_second_per_session", .number(Double(events) / wall / Double(sessions))),
            ("cpu_percent_of_one_core", .number(cpu / wall * 100)),
            ("peak_rss_mb", .number(Double(ProcessMetrics.peakResidentBytes()) / 1_048_576)),
            ("threads_max", .int(maxThreads)),
            ("cores", .int(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))),
            ("latency_p50_ms", .number(Double(percentile(latencies, 50)) / 1000)),
            ("latency_p99_ms", .number(Double(percentile(latencies, 99)) / 1000)),
            ("stop_one_p99_ms", .number(Double(percentile(stopCalls, 99)) / 1000)),
            ("stop_all_call_ms", .number(stopAll.seconds * 1000)),
            ("stop_all_until_ended_ms", .number((stopAll + allEnded).seconds * 1000)),
        ])
        print(JSONWriter.string(result))
    }

    private func totalEvents(_ board: SessionBoard) -> Int {
        board.sessions.reduce(0) { $0 + $1.snapshot.state.counters.eventsIn + $1.snapshot.state.counters.eventsOut }
    }

    private func makeTemporaryPath() -> String {
        var template = Array("/tmp/convtui-bench-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }
}
