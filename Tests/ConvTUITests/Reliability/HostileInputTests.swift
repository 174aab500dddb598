import ConvEngine
import Foundation
import Testing
import TestSupport

/// Hostile flags, configs and logs given to the real binary (issue 14): each is refused with a
/// reason or read as far as it is valid; none kills the process (no status ≥ 128), none
/// shrinks a recording.
@Suite("Hostile flags, configs and logs on the real binary", .serialized)
struct HostileInputTests {
    /// Runs `convtui arguments…` with stdin closed; its status, or nil if it did not end in time.
    private func convtui(_ arguments: [String], timeout: Duration = .seconds(30)) async throws -> (status: Int32?, process: ConvtuiProcess) {
        let process = try ConvtuiProcess(arguments)
        process.closeInput()
        return (await process.waitForExit(timeout: timeout), process)
    }

    private static let header =
        #"{"format":"convtui-session-log","version":1,"session":1,"name":"ava","backend":"sim","started_at":"2026-11-21T19:30:00.000Z","started_at_us":1795289400000000,"transcript_capacity":500,"event_capacity":200}"#

    /// A log file of `lines` after the header.
    private func log(_ lines: [String], in directory: String, named name: String = "log.jsonl") throws -> String {
        let path = directory + "/" + name
        try (([Self.header] + lines).joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private static let goodEvents = [
        #"{"t":0.000100,"run":1,"type":"run_started","backend":"sim"}"#,
        #"{"t":0.050000,"run":1,"type":"connected","conversation_id":"c1"}"#,
        #"{"t":1.000000,"run":1,"type":"agent_text_done","response_id":"r1","text":"Hello there"}"#,
        #"{"t":2.000000,"run":1,"type":"ended","reason":"stopped by operator"}"#,
    ]

    // MARK: Flags (deliverable 7)

    /// Infinite, huge and negative seconds trapped converting to Int64 (exit 132).
    @Test(arguments: [
        ["demo", "--headless", "--no-record", "--duration", "inf"],
        ["demo", "--headless", "--no-record", "--duration", "1e308"],
        ["demo", "--headless", "--no-record", "--duration=-5"],
        ["demo", "--headless", "--no-record", "--duration", "nan"],
        ["demo", "--headless", "--no-record", "--disconnect-after", "inf"],
        ["sim-server", "--port", "0", "--drop-after", "inf"],
        ["sim-server", "--port", "0", "--stall-after", "1e308"],
        ["replay", "--headless", "--idle-limit", "inf", "x.jsonl"],
    ])
    func secondsOutOfRangeAreRefused(arguments: [String]) async throws {
        let (status, process) = try await convtui(arguments)
        #expect(status == 64, "a usage error, not a crash: \(String(describing: status)) \(process.stderr)")
        #expect(process.stderr.contains("at most 2592000"), "the error gives the range: \(process.stderr)")
    }

    @Test func runDurationOutOfRangeIsRefused() async throws {
        let directory = makeTemporaryDirectory()
        try "[[session]]\nname = \"a\"\n".write(toFile: directory + "/c.toml", atomically: true, encoding: .utf8)
        let (status, process) = try await convtui(["run", directory + "/c.toml", "--headless", "--no-record", "--duration", "inf"])
        #expect(status == 64, "\(process.stderr)")
    }

    // MARK: Configs (deliverable 7)

    /// 50 000 nested table headers overflowed the stack (SIGSEGV) converting the parsed tables.
    @Test func deeplyNestedConfigIsRefused() async throws {
        let directory = makeTemporaryDirectory()
        let path = directory + "/deep.toml"
        let header = "[" + Array(repeating: "a", count: 50_000).joined(separator: ".") + "]\nx = 1\n"
        try ("[[session]]\nname = \"a\"\n" + header).write(toFile: path, atomically: true, encoding: .utf8)
        let (status, process) = try await convtui(["run", path, "--headless", "--no-record", "--duration", "1"])
        #expect(status.map { $0 > 0 && $0 < 128 } == true, "refused, not crashed: \(String(describing: status))")
        #expect(process.stderr.contains("nested deeper than"), "\(process.stderr)")
    }

    /// `:99999` was accepted and connected to another port.
    @Test func portOutOfRangeIsRefused() async throws {
        let directory = makeTemporaryDirectory()
        let path = directory + "/port.toml"
        try "[[session]]\nname = \"a\"\nbackend = \"openai\"\nmodel = \"m\"\nurl = \"ws://127.0.0.1:99999/v1\"\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let (status, process) = try await convtui(["run", path, "--headless", "--no-record", "--duration", "1"])
        #expect(status.map { $0 > 0 && $0 < 128 } == true)
        #expect(process.stderr.contains("port must be a number from 1 to 65535"), "\(process.stderr)")
    }

    /// A start that fails for want of file descriptors left the logs it had made behind, header only.
    @Test func failedStartLeavesNoLogs() async throws {
        let directory = makeTemporaryDirectory() + "/logs"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -n 40; exec \"$0\" demo --headless --sessions 200 --duration 1 --record-dir \"$1\"", ConvtuiProcess.binaryPath, directory]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // A debug convtui starting 200 sessions takes seconds: wait off the cooperative pool.
        await onOwnThread { process.waitUntilExit() }
        #expect(process.terminationStatus != 0 && process.terminationStatus < 128, "the start fails: \(process.terminationStatus)")
        let logs = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".jsonl") }
        #expect(logs.isEmpty, "no header-only logs are left: \(logs.count)")
    }

    // MARK: Numbers in logs (deliverable 1)

    /// Strings where the format says integer passed `log check`; export and replay then trapped.
    @Test func numbersAsStringsAreNotNumbers() async throws {
        let directory = makeTemporaryDirectory()
        let path = try log(
            Array(Self.goodEvents.prefix(2)) + [
                #"{"t":1.000000,"run":1,"type":"user_audio","bytes":"4611686018427387904","ms":1}"#,
                #"{"t":1.100000,"run":1,"type":"user_audio","bytes":"4611686018427387904","ms":1}"#,
                #"{"t":1.200000,"run":1,"type":"usage","input_tokens":9223372036854775807,"output_tokens":1}"#,
            ], in: directory)
        let check = try await convtui(["log", "check", path])
        #expect(check.status == 1)
        #expect(check.process.stdout.contains("line 4"), "\(check.process.stdout)")
        #expect(check.process.stdout.contains("line 6"), "\(check.process.stdout)")
        for arguments in [["export", path, "--format", "jsonl"], ["replay", "--headless", path]] {
            let (status, process) = try await convtui(arguments)
            #expect(status.map { $0 < 128 } == true, "\(arguments[0]) does not crash: \(String(describing: status)) \(process.stderr)")
        }
    }

    /// Counts that add up past 2^53 saturate at 2^53−1, which the writer writes and the reader reads.
    @Test func sumsSaturateAtTheLargestSafeInteger() async throws {
        let directory = makeTemporaryDirectory()
        let usage = #"{"t":1.200000,"run":1,"type":"usage","input_tokens":9007199254740991,"output_tokens":1}"#
        let path = try log(Array(Self.goodEvents.prefix(2)) + Array(repeating: usage, count: 1100), in: directory)
        #expect(try await convtui(["log", "check", path]).status == 0)
        let (status, process) = try await convtui(["replay", "--headless", path])
        #expect(status == 0, "\(process.stderr)")
        let counters = process.jsonLines.first?["counters"] as? [String: Any]
        #expect(counters?["input_tokens"] as? Int == JSONValue.maxSafeInteger)
    }

    // MARK: Semantic checks (deliverable 6)

    @Test(arguments: [
        (#"{"t":0.500000,"run":1,"type":"agent_thinking"}"#, "line 5", "goes back"),
        (HostileInputTests.header, "line 5", "second log header"),
        (#"{"t":1.500000,"run":2,"type":"agent_thinking"}"#, "line 5", "run 2, which has not started"),
        (#"{"t":1.500000,"run":1,"type":"run_started","backend":"sim"}"#, "line 5", "run 1 starts after run 1"),
    ])
    func logCheckReportsOutOfOrderLines(line: String, number: String, reason: String) async throws {
        let directory = makeTemporaryDirectory()
        var events = Self.goodEvents
        events.insert(line, at: 3)
        let path = try log(events, in: directory)
        let (status, process) = try await convtui(["log", "check", path])
        #expect(status == 1, "\(process.stdout)")
        let report = process.stdout.split(separator: "\n").first { $0.contains(number) }.map(String.init) ?? ""
        #expect(report.contains(reason), "\(process.stdout)")
    }

    // MARK: Export output (deliverable 2)

    enum Target: Sendable { case same, hardLink, symlinkToLog }

    /// `--output` naming the log itself (directly, by hard link or by symlink) truncated it to 0 bytes.
    @Test(arguments: [Target.same, .hardLink, .symlinkToLog])
    func exportRefusesToOverwriteItsLog(target: Target) async throws {
        let directory = makeTemporaryDirectory()
        let path = try log(Self.goodEvents, in: directory)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        var output = path
        switch target {
        case .same: break
        case .hardLink:
            output = directory + "/link.jsonl"
            try FileManager.default.linkItem(atPath: path, toPath: output)
        case .symlinkToLog:
            output = directory + "/symlink.jsonl"
            try FileManager.default.createSymbolicLink(atPath: output, withDestinationPath: path)
        }
        let (status, process) = try await convtui(["export", path, "--format", "jsonl", "--output", output])
        #expect(status == 1, "\(process.stderr)")
        #expect(process.stderr.contains("is the log being exported"), "\(process.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "the log is untouched")
    }

    /// `--output` through a symlink overwrote the symlink's target.
    @Test func exportReplacesASymlinkInsteadOfWritingThroughIt() async throws {
        let directory = makeTemporaryDirectory()
        let path = try log(Self.goodEvents, in: directory)
        let victim = directory + "/victim.txt"
        try "keep me".write(toFile: victim, atomically: true, encoding: .utf8)
        let output = directory + "/out.md"
        try FileManager.default.createSymbolicLink(atPath: output, withDestinationPath: victim)
        let (status, process) = try await convtui(["export", path, "--output", output])
        #expect(status == 0, "\(process.stderr)")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep me")
        #expect(try String(contentsOfFile: output, encoding: .utf8).contains("Hello there"))
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: output)) == nil, "the link was replaced by the export")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(".convtui-export-") }
        #expect(leftovers.isEmpty)
    }

    // MARK: Inputs that are not files (deliverable 5)

    /// A FIFO carrying a valid log: export and replay read their input twice and hung.
    @Test(arguments: [["export", "--format", "text"], ["replay", "--headless"]])
    func aFIFOIsReadOnce(command: [String]) async throws {
        let directory = makeTemporaryDirectory()
        let source = try log(Self.goodEvents, in: directory)
        let fifo = directory + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let feeder = Process()
        feeder.executableURL = URL(fileURLWithPath: "/bin/sh")
        feeder.arguments = ["-c", "cat \"$0\" > \"$1\"", source, fifo]
        try feeder.run()
        let arguments = command.count == 3 ? [command[0], fifo] + command.dropFirst() : command + [fifo]
        let (status, process) = try await convtui(arguments, timeout: .seconds(20))
        #expect(status == 0, "\(arguments): \(String(describing: status)) \(process.stderr)")
        if command[0] == "export" { #expect(process.stdout.contains("Hello there")) }
        if command[0] == "replay" { #expect(process.jsonLines.first?["phase"] as? String == "ended") }
        if feeder.isRunning { feeder.terminate() }
    }

    /// `log check /dev/zero` never ended: a stream is read up to a limit.
    @Test func aDeviceThatNeverEndsEnds() async throws {
        let (status, process) = try await convtui(["log", "check", "/dev/zero"], timeout: .seconds(120))
        #expect(status == 1, "\(String(describing: status)) \(process.stdout)")
    }
}
