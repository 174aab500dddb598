import Foundation
import Testing
@testable import ConvEngine

/// `convtui stats`'s index path (prefix scan, only `turn_metrics`/`alert` lines parsed) against
/// the full parser on varied and hostile logs.
@Suite("Log stats index path")
struct LogStatsTests {
    /// The figures and problems the full parser gives: every line parsed and decoded.
    struct Reference: Equatable {
        var runs = 0, turns = 0, interruptions = 0, errors = 0, alerts = 0
        var latency = LatencyDistribution()
        var problems: [LogProblem] = []

        init(path: String) throws {
            let (_, problems) = try SessionLogReader.forEachEvent(path: path) { event in
                let flags = ReplayEventFlags.of(event.kind)
                if flags.contains(.runStart) { runs += 1 }
                if flags.contains(.interruption) { interruptions += 1 }
                if flags.contains(.error) { errors += 1 }
                switch event.kind {
                case .alert(_, true, _): alerts += 1
                case .turnMetrics(let turn):
                    turns += 1
                    if let ms = turn.latencyMs { latency.record(ms) }
                default: break
                }
            }
            self.problems = problems
        }

        init(_ stats: LogStats) {
            runs = stats.runs
            turns = stats.turns
            interruptions = stats.interruptions
            errors = stats.errors
            alerts = stats.alerts
            latency = stats.latency
            problems = stats.problems
        }
    }

    /// A conversation with turn_metrics (voice and text), alerts raised and cleared, and marks.
    static func events(seed: UInt64) -> [SessionEvent] {
        var random = SimRandom(seed: seed &* 31 &+ 1)
        var turn = 0
        return TestLogs.conversation(count: 400, seed: seed).flatMap { event -> [SessionEvent] in
            var extra: [SessionEvent.Kind] = []
            switch random.next() % 12 {
            case 0, 1:
                turn += 1
                let ms = Int(random.next() % 3000)
                extra.append(.turnMetrics(random.next() % 3 == 0 ? TurnMetrics(turn: turn, mode: .text, firstTextMs: ms) : TurnMetrics(turn: turn, mode: .voice, voiceToVoiceMs: ms)))
            case 2: extra.append(.turnMetrics(TurnMetrics(turn: turn, mode: .voice)))
            case 3: extra.append(.alert(rule: "slow_turn", raised: random.next() % 2 == 0, reason: "over \"1 s\""))
            case 4: extra.append(.mark(note: "look here"))
            default: break
            }
            return [event] + extra.map { SessionEvent(offset: event.offset, run: event.run, kind: $0) }
        }
    }

    /// The log's lines with hostile edits: garbage, an empty line, a line cut short, a valid
    /// event written by hand (keys in another order), a broken `turn_metrics` line with the
    /// writer's prefix, a second header, invalid UTF-8; and optionally a torn last line.
    static func hostile(_ text: String, seed: UInt64, tornTail: Bool) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var random = SimRandom(seed: seed)
        let edits = [
            "not json at all", "", String(lines[lines.count / 2].prefix(30)),
            #"{"type":"interruption","run":1,"t":0.5,"event_id":3}"#,
            #"{"type":"alert","t":0.6,"run":1,"rule":"failed","state":"raised","reason":"x"}"#,
            #"{"t":0.700000,"run":1,"type":"turn_metrics","turn":"x"}"#,
            TestLogs.headerLine(version: 2), "{\"t\":1.0,\"run\":1,\"type\":\"ping\u{FFFD}\"}", "\u{1}\u{2}\u{7f}",
            #"{"t":1.000000,"run":1,"type":"no_such_type","x":1}"#,
        ]
        for edit in edits {
            let at = 1 + Int(random.next() % UInt64(lines.count - 1))
            lines.insert(edit, at: at)
        }
        var out = lines.joined(separator: "\n") + "\n"
        if tornTail { out += String(lines[lines.count / 3].prefix(40)) }
        return out
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func indexPathAgreesWithTheFullParser(seed: UInt64) throws {
        let logs = TestLogs()
        let clean = logs.log("clean\(seed)", events: Self.events(seed: seed))
        let stats = try LogStats(path: clean)
        #expect(stats.turns > 10)
        #expect(stats.alerts > 0)
        #expect(Reference(stats) == (try Reference(path: clean)))
        #expect(stats.problems.isEmpty)
        let text = try String(contentsOfFile: clean, encoding: .utf8)
        for torn in [false, true] {
            let path = logs.file("hostile\(seed)-\(torn).jsonl", Self.hostile(text, seed: seed, tornTail: torn))
            let fast = try LogStats(path: path)
            let full = try Reference(path: path)
            #expect(Reference(fast) == full)
            #expect(fast.problemCount == full.problems.count)
            #expect(full.problems.count >= 7)
            #expect(full.problems.contains { $0.kind == .tornTail } == torn)
        }
    }

    /// Lines that are not events are reported with their line numbers, as `log check` numbers
    /// them (the header is line 1); a hand-written valid event still counts.
    @Test func problemsCarryLineNumbers() throws {
        let logs = TestLogs()
        let interruption = TestLogs.line(SessionEvent(offset: 1_000, run: 1, kind: .interruption(eventId: nil)))
        let path = logs.file(
            "lines.jsonl",
            [
                TestLogs.headerLine(version: 2), TestLogs.line(SessionEvent(offset: 0, run: 1, kind: .runStarted(backend: "sim"))),
                "garbage", interruption, #"{"type":"interruption","run":1,"t":0.002}"#, "", interruption,
            ].joined(separator: "\n") + "\n" + String(interruption.prefix(20)))
        let stats = try LogStats(path: path)
        #expect(stats.runs == 1)
        #expect(stats.interruptions == 3)
        #expect(stats.problems.map(\.line) == [3, 6, 8])
        #expect(stats.problems.last?.kind == .tornTail)
        #expect(stats.problems == (try Reference(path: path)).problems)
    }

    @Test func keepsTheFirstHundredProblemsAndCountsTheRest() throws {
        let logs = TestLogs()
        let path = logs.file("garbage.jsonl", TestLogs.headerLine(version: 2) + "\n" + String(repeating: "x\n", count: 150))
        let stats = try LogStats(path: path)
        #expect(stats.problemCount == 150)
        #expect(stats.problems.count == LogStats.keptProblems)
        #expect(stats.problems.first?.line == 2)
    }

    /// Many logs read on several threads come back in the order given, failures in place.
    @Test func readsManyLogsInOrder() throws {
        let logs = TestLogs()
        var paths = (1...40).map { i in logs.log("many\(i)", events: Array(Self.events(seed: UInt64(i)).prefix(i * 10))) }
        paths.insert(logs.directory + "/missing.jsonl", at: 17)
        let results = LogStats.read(paths, workers: 4)
        #expect(results.count == paths.count)
        for (path, result) in zip(paths, results) {
            switch result {
            case .success(let stats):
                #expect(stats.path == path)
                #expect(Reference(stats) == (try Reference(path: path)))
            case .failure:
                #expect(path.hasSuffix("missing.jsonl"))
            }
        }
    }
}
