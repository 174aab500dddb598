import Foundation
import Testing
@testable import ConvEngine

@Suite("Stats report")
struct StatsReportTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/export-sample.jsonl").path

    /// A version 1 log is measured from its events; the same events written as version 2 with
    /// their turn_metrics lines give the same figures through the index path.
    @Test func versionOneAndTwoGiveTheSameFigures() throws {
        let v1 = try LogStats(path: Self.sample)
        #expect(v1.turns == 2)
        #expect(v1.runs == 2)
        #expect(v1.interruptions == 1)
        #expect(v1.errors == 2)
        let logs = TestLogs()
        var state = SessionState(backend: "sim")
        var events: [SessionEvent] = []
        for event in try SessionLogReader.read(path: Self.sample).events {
            let before = state.metrics.turns
            state.apply(event)
            events.append(event)
            if state.metrics.turns > before, let turn = state.metrics.lastTurn {
                events.append(SessionEvent(offset: event.offset, run: event.run, kind: .turnMetrics(turn)))
            }
        }
        events.append(SessionEvent(offset: 70_000_000, run: 2, kind: .alert(rule: "failed", raised: true, reason: "x")))
        let v2 = try LogStats(path: logs.log("v2", events: events))
        #expect(v2.turns == v1.turns)
        #expect(v2.latency == v1.latency)
        #expect(v2.errors == v1.errors)
        #expect(v2.alerts == 1)
    }

    @Test func goldenJSONAndMarkdown() throws {
        let report = StatsReport([try LogStats(path: Self.sample)])
        let json = report.render(.json)
        #expect(json.contains(#""overall":{"logs":1,"turns":2,"interruptions":1,"interruption_rate":0.5,"errors":2,"alerts":0,"latency_ms":{"count":2,"p50":401,"p90":800,"p95":800,"p99":800,"max":800}}"#))
        #expect(report.render(.markdown).contains("| 2 lina | 2 | 401 | 800 | 800 | 800 | 800 | 0.50 | 2 | 0 |"))
        let table = report.render(.table)
        #expect(table.contains("all          2  401  800  800  800  800      0.50       2       0"))
        #expect(table.contains("latency (ms)"))
    }
}
