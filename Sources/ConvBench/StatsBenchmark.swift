import ArgumentParser
import ConvEngine
import Foundation

/// `convtui-bench stats`: `convtui stats` over many session logs (issue 16: 1,000 logs, 1 GB,
/// at least 300 MB/s).
///
/// The logs hold real simulator sessions' events (``SimEventSample``), each log starting at a
/// different session, written by the engine's own log writer; they are made once and kept in
/// `--dir`. After one run that warms the page cache, each timed run is a `convtui stats
/// --format json` process over all of them, stdout to /dev/null.
struct StatsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Time `convtui stats` over many session logs (made once); prints one JSON line.")

    @Option(help: "Logs read.") var logs = 1000
    @Option(name: .customLong("log-mb"), help: "Size of each log in MiB.") var logMB = 1.0
    @Option(help: "Timed runs (after one warm-up run); the median is reported.") var runs = 3
    @Option(help: "Directory for the logs, kept between runs (made if missing).") var dir = "/tmp/convtui-bench-stats"
    @Option(help: "The convtui binary (default: the one next to this benchmark).") var convtui: String?

    func validate() throws {
        guard logs > 0, logMB > 0, runs > 0 else { throw ValidationError("--logs, --log-mb and --runs must be positive") }
    }

    func run() async throws {
        let paths = try await makeLogs()
        let bytes = paths.reduce(Int64(0)) { $0 + fileSize($1) }
        let binary = convtui ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("convtui").path
        _ = try timeStats(binary, paths)
        var times: [Double] = []
        for _ in 0..<runs { times.append(try timeStats(binary, paths)) }
        let median = times.sorted()[times.count / 2]
        let mb = Double(bytes) / 1_048_576
        let result: JSONValue = .object([
            ("benchmark", "stats"),
            ("logs", .int(paths.count)),
            ("log_mb", .number(mb)),
            ("cores", .int(LogStats.cores)),
            ("run_seconds", .array(times.map(JSONValue.number))),
            ("seconds", .number(median)),
            ("mb_per_s", .number(mb / median)),
        ])
        print(JSONWriter.string(result))
    }

    /// The logs in `dir/LOGSxMB`, written first if that directory is not complete.
    private func makeLogs() async throws -> [String] {
        let folder = "\(dir)/\(logs)x\(logMB)mb"
        let paths = (1...logs).map { number in
            let digits = String(number)
            return "\(folder)/session-\(String(repeating: "0", count: max(0, 5 - digits.count)))\(digits).jsonl"
        }
        let done = folder + "/complete"
        if FileManager.default.fileExists(atPath: done) { return paths }
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let sample = try await SimEventSample.record(count: 16, seconds: 3, pace: 0.03)
        for (i, path) in paths.enumerated() {
            let header = SessionLogHeader(sessionNumber: i + 1, sessionName: "bench-\(i + 1)", backend: "sim", startedAtMicros: 0)
            try sample.writeLog(path: path, bytes: Int64(logMB * 1_048_576), header: header, rotation: i)
        }
        FileManager.default.createFile(atPath: done, contents: nil)
        return paths
    }

    /// Seconds one `convtui stats --format json` over `paths` takes.
    private func timeStats(_ binary: String, _ paths: [String]) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["stats", "--format", "json"] + paths
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        let started = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        let seconds = (ContinuousClock.now - started).seconds
        guard process.terminationStatus == 0 else { throw BenchmarkError("\(binary) stats failed (status \(process.terminationStatus))") }
        return seconds
    }
}
