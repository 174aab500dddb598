@testable import ConvEngine
import Testing

@testable import ConsoleCore

@Suite struct TimelineBarTests {
    private func text(_ rows: [[StyledRun]]) -> String {
        rows.map { $0.map { String($0.text) }.joined() }.joined(separator: "\n")
    }

    @Test func showsStatePositionSpeedAndMarks() {
        let timeline = ReplayTimeline(
            total: 100_000_000, position: 50_000_000, isPlaying: true, speed: 4,
            marks: [ReplayMark(time: 25_000_000, pane: 1, kind: .interruption), ReplayMark(time: 75_000_000, pane: 2, kind: .error)])
        let bar = text(TimelineBar.rows(timeline, width: 60))
        #expect(bar.hasPrefix(" ▶ 0:50 / 1:40 · 4× │"))
        #expect(bar.hasSuffix("│"))
        #expect(CellWidth.of(bar) == 60 - 1)
        let track = bar.drop(while: { $0 != "│" }).dropFirst().dropLast()
        let position = track.firstIndex(of: "●").map { track.distance(from: track.startIndex, to: $0) }
        let interruption = track.firstIndex(of: "|").map { track.distance(from: track.startIndex, to: $0) }
        let error = track.firstIndex(of: "!").map { track.distance(from: track.startIndex, to: $0) }
        #expect(interruption.map { $0 < position! } == true)
        #expect(error.map { $0 > position! } == true)
        #expect(track.prefix(position!).allSatisfy { $0 == "━" || $0 == "|" })
    }

    @Test func operatorMarksShowAsDiamondsBelowAlertsAndErrors() {
        let timeline = ReplayTimeline(
            total: 100_000_000, position: 0, isPlaying: false, speed: 1,
            marks: [
                ReplayMark(time: 25_000_000, pane: 1, kind: .operatorMark), ReplayMark(time: 25_000_000, pane: 2, kind: .interruption),
                ReplayMark(time: 75_000_000, pane: 1, kind: .operatorMark), ReplayMark(time: 75_000_000, pane: 2, kind: .alert),
            ])
        let bar = text(TimelineBar.rows(timeline, width: 60))
        #expect(bar.filter { $0 == "◆" }.count == 1)
        #expect(bar.filter { $0 == "▲" }.count == 1)
        #expect(!bar.contains("|"))
    }

    @Test func pausedAndSlowAndNarrow() {
        let timeline = ReplayTimeline(total: 0, position: 0, isPlaying: false, speed: 0.25, marks: [])
        #expect(text(TimelineBar.rows(timeline, width: 80)).hasPrefix(" ‖ 0:00.0 / 0:00 · 0.25× │●"))
        #expect(!text(TimelineBar.rows(timeline, width: 10)).contains("│"))
    }
}
