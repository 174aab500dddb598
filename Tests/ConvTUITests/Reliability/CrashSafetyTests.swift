import ConvEngine
import Foundation
import Testing
import TestSupport

/// SIGKILL a recording demo at random moments: every log must stay readable (at most a torn
/// last line) and hold every event the process had already printed, but for what its outbox
/// still held: logs and stdout are written by different threads, so of the events printed,
/// at most the last ``OutboxLimit/log`` lines of a session may be missing from its log.
///
/// The suite runs a few kills; `CONVTUI_CRASH_KILLS=100` (see `scripts/crash-harness.sh`) runs
/// the full harness with the same code. Each run prints its seed; `CONVTUI_CRASH_SEED=N` runs
/// the same kill moments and simulator seeds again.
@Suite("Crash safety under SIGKILL", .serialized)
struct CrashSafetyTests {
    /// Kills per run: small in the suite, overridable for the full harness.
    private static var kills: Int {
        ProcessInfo.processInfo.environment["CONVTUI_CRASH_KILLS"].flatMap(Int.init) ?? 5
    }

    /// The seed of the kill moments and of each round's simulator: given, or drawn and printed.
    private static var seed: UInt64 {
        ProcessInfo.processInfo.environment["CONVTUI_CRASH_SEED"].flatMap(UInt64.init) ?? .random(in: 1...999_999)
    }

    @Test func killedRecordingLosesNothingItPrinted() async throws {
        let seed = Self.seed
        print("crash harness: seed \(seed) (rerun with CONVTUI_CRASH_SEED=\(seed) or scripts/crash-harness.sh --seed \(seed))")
        var generator = SimRandom(seed: seed)
        var tornTails = 0
        var eventsChecked = 0
        for round in 1...Self.kills {
            let directory = makeTemporaryDirectory("convtui-crash")
            let process = try ConvtuiProcess([
                "demo", "--headless", "--sessions", "8", "--pace", "0.2", "--seed", "\(seed &+ UInt64(round))", "--record-dir", directory,
            ])
            let delay = Double.random(in: 0.2...3.0, using: &generator)
            try await Task.sleep(for: .seconds(delay))
            process.signal(SIGKILL)
            _ = await process.waitForExit()
            // The pipe may still hold lines printed just before the kill; let the reader drain it.
            try await Task.sleep(for: .milliseconds(100))
            let report = try CrashRound(directory: directory, stdout: process.stdout)
            #expect(report.problems.isEmpty, "seed \(seed), round \(round) after \(delay) s: \(report.problems)")
            tornTails += report.tornTails
            eventsChecked += report.printedEvents
            if report.problems.isEmpty { try? FileManager.default.removeItem(atPath: directory) }
        }
        print("crash harness: seed \(seed), \(Self.kills) kills, \(eventsChecked) printed events found in logs, \(tornTails) torn tails")
    }
}

/// What one killed run left behind, checked against what it printed.
private struct CrashRound {
    private(set) var problems: [String] = []
    private(set) var tornTails = 0
    private(set) var printedEvents = 0

    init(directory: String, stdout: String) throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".jsonl") }
        var logLines: [Int: [Substring]] = [:]
        for file in files {
            let path = directory + "/" + file
            guard let number = Self.sessionNumber(fileName: file) else {
                problems.append("\(file): unexpected name")
                continue
            }
            let log = try SessionLogReader.read(path: path)
            for problem in log.problems where problem.kind != .tornTail {
                problems.append("\(file): \(problem)")
            }
            let text = try String(contentsOfFile: path, encoding: .utf8)
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            // The last element is empty after a final newline, or the torn line otherwise.
            if let last = lines.popLast(), !last.isEmpty {
                tornTails += 1
                if log.problems.last?.kind != .tornTail { problems.append("\(file): torn tail not reported") }
            }
            logLines[number] = Array(lines.dropFirst())
        }
        var printed = stdout.split(separator: "\n", omittingEmptySubsequences: false)
        printed.removeLast()  // empty after the last newline, or a line cut off by the kill
        var printedBySession: [Int: [Substring]] = [:]
        for line in printed {
            guard let headless = HeadlessLine(line) else {
                problems.append("unreadable stdout line: \(line)")
                continue
            }
            printedEvents += 1
            printedBySession[headless.session, default: []].append(headless.event)
        }
        // Both are the start of the same sequence; the log may lag by what its outbox held.
        for (session, shown) in printedBySession {
            let logged = logLines[session] ?? []
            for (index, (one, other)) in zip(shown, logged).enumerated() where one != other {
                problems.append("session \(session), event \(index + 1): printed \(one), logged \(other)")
                break
            }
            if shown.count - logged.count > OutboxLimit.log.lines {
                problems.append("session \(session): \(shown.count - logged.count) printed events not logged")
            }
        }
    }

    /// `STAMP-NN-NAME.jsonl` → NN.
    private static func sessionNumber(fileName: String) -> Int? {
        let parts = fileName.split(separator: "-")
        return parts.count >= 4 ? Int(parts[2]) : nil
    }
}
