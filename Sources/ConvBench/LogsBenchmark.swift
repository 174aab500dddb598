import ArgumentParser
import ConvEngine
import Foundation

/// Session logs at scale: indexing throughput against `jq`, seeking in a large log, and
/// replaying 16 logs at 64× within one core.
struct LogsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Index a large sim log (vs jq), seek in it, replay 16 logs at 64×.")

    @Option(name: .customLong("size-mb"), help: "Size of the large log in MB.") var sizeMB = 1024
    @Option(name: .customLong("jq-mb"), help: "MB of the large log (whole lines) that jq reads.") var jqMB = 100
    @Option(help: "Timed indexing runs (after one warm-up run).") var runs = 3
    @Option(help: "Random seeks timed.") var seeks = 50
    @Option(name: .customLong("replay-logs"), help: "Logs replayed together.") var replayLogs = 16
    @Option(name: .customLong("replay-minutes"), help: "Length of each replayed log.") var replayMinutes = 12.0
    @Option(name: .customLong("replay-seconds"), help: "Real seconds of replay measured.") var replaySeconds = 10.0
    @Option(help: "Directory for the logs, kept between runs (made if missing).") var dir = "/tmp/convtui-bench-logs"

    func run() async throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let big = "\(dir)/big-\(sizeMB)mb.jsonl"
        let replay = "\(dir)/replay-\(Int(replayMinutes))min.jsonl"
        let logs: [(path: String, write: (SimEventSample, String) throws -> Void)] = [
            (big, { sample, path in try sample.writeLog(path: path, bytes: Int64(sizeMB) << 20) }),
            (replay, { sample, path in try sample.writeLog(path: path, duration: Int64(replayMinutes * 60_000_000)) }),
        ]
        var sample: SimEventSample?
        for (path, write) in logs where !FileManager.default.fileExists(atPath: path) {
            if sample == nil { sample = try await SimEventSample.record(count: 16, seconds: 3, pace: 0.03) }
            let partial = path + ".partial"
            try? FileManager.default.removeItem(atPath: partial)
            try write(sample!, partial)
            try FileManager.default.moveItem(atPath: partial, toPath: path)
        }
        let bigBytes = fileSize(big)
        let indexing = try measureIndexing(big, bytes: bigBytes)
        let jq = try measureJQ(big)
        let seeking = try await measureSeeks(big)
        let replaying = try await measureReplay(replay)
        let indexMBps = indexing.mbPerSecond
        let result: JSONValue = .object(
            [
                ("benchmark", "logs"),
                ("log_mb", .number(Double(bigBytes) / 1_048_576)),
                ("log_events", .int(indexing.events)),
                ("index_mb_per_s", .number(indexMBps)),
                ("index_seconds", .number(indexing.seconds)),
                ("jq_mb", .number(jq.mb)),
                ("jq_mb_per_s", .number(jq.mbPerSecond)),
                ("index_vs_jq_ratio", .number(indexMBps / jq.mbPerSecond)),
            ] + seeking + replaying)
        print(JSONWriter.string(result))
    }

    /// Median of `runs` indexings of `path` after one that warms the page cache.
    private func measureIndexing(_ path: String, bytes: Int64) throws -> (mbPerSecond: Double, seconds: Double, events: Int) {
        var events = try ReplayIndex.build(path: path).eventCount
        var times: [Double] = []
        for _ in 0..<max(1, runs) {
            let started = ContinuousClock.now
            events = try ReplayIndex.build(path: path).eventCount
            times.append((ContinuousClock.now - started).seconds)
        }
        let median = times.sorted()[times.count / 2]
        return (Double(bytes) / 1_048_576 / median, median, events)
    }

    /// `jq -c . >/dev/null` over the first `jqMB` MB of whole lines of `path` (warm cache, best of two).
    private func measureJQ(_ path: String) throws -> (mb: Double, mbPerSecond: Double) {
        let prefix = "\(dir)/prefix-\(jqMB)mb.jsonl"
        if !FileManager.default.fileExists(atPath: prefix) {
            let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            let data = try input.read(upToCount: jqMB << 20) ?? Data()
            let end = (data.lastIndex(of: 0x0A) ?? -1) + 1
            try data.prefix(end).write(to: URL(fileURLWithPath: prefix))
        }
        var best = Double.infinity
        for _ in 0..<2 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["jq", "-c", ".", prefix]
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            let started = ContinuousClock.now
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw BenchmarkError("jq failed on \(prefix)") }
            best = min(best, (ContinuousClock.now - started).seconds)
        }
        let mb = Double(fileSize(prefix)) / 1_048_576
        return (mb, mb / best)
    }

    /// Random seeks in `path` once its checkpoints are recorded.
    private func measureSeeks(_ path: String) async throws -> [(String, JSONValue)] {
        let opened = ContinuousClock.now
        let player = ReplayPlayer(paths: [path])
        let indexed = ContinuousClock.now
        while !player.checkpointsReady {
            try await Task.sleep(for: .milliseconds(20))
        }
        let ready = ContinuousClock.now
        var random = SimRandom(seed: 7)
        let total = player.clock.total
        var times: [Int64] = []
        for _ in 0..<seeks {
            let target = Int64(random.next() % UInt64(max(1, total)))
            let started = ContinuousClock.now
            player.seek(to: target)
            times.append(Int64((ContinuousClock.now - started).seconds * 1_000_000))
        }
        return [
            ("player_open_s", .number((indexed - opened).seconds)),
            ("checkpoints_ready_s", .number((ready - indexed).seconds)),
            ("seek_p50_ms", .number(Double(percentile(times, 50)) / 1000)),
            ("seek_p99_ms", .number(Double(percentile(times, 99)) / 1000)),
            ("seek_max_ms", .number(Double(times.max() ?? 0) / 1000)),
        ]
    }

    /// `replayLogs` copies of `path` in one player at 64×, advanced every 50 ms of real time.
    private func measureReplay(_ path: String) async throws -> [(String, JSONValue)] {
        let player = ReplayPlayer(paths: Array(repeating: path, count: replayLogs), speed: 64)
        while !player.checkpointsReady {
            try await Task.sleep(for: .milliseconds(20))
        }
        player.play()
        let tick = Duration.milliseconds(50)
        let cpuBefore = ProcessMetrics.cpuTime()
        let started = ContinuousClock.now
        var last = started
        var next = started
        let end = started + .milliseconds(Int64(replaySeconds * 1000))
        while next < end {
            next += tick
            try await Task.sleep(until: next, clock: .continuous)
            let now = ContinuousClock.now
            player.advance(by: now - last)
            last = now
        }
        let wall = (ContinuousClock.now - started).seconds
        let cpu = (ProcessMetrics.cpuTime() - cpuBefore).seconds
        return [
            ("replay_logs", .int(replayLogs)),
            ("replay_speed", .number(player.clock.speed)),
            ("replay_log_minutes", .number(Double(player.clock.total) / 60_000_000)),
            ("replay_position_s", .number(Double(player.clock.position) / 1_000_000)),
            ("replay_cpu_percent_of_one_core", .number(cpu / wall * 100)),
        ]
    }
}
