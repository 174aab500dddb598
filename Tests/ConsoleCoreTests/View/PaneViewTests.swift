import ConvEngine
import Testing

@testable import ConsoleCore

@Suite struct PaneViewTests {
    @Test func aTranscriptLineIsOneStyleIndentAndLabelIncluded() {
        let text = "one two three four five six seven eight nine ten"
        let state = ConsoleFixtures.snapshot(number: 1, [.agentTextDelta(responseId: "r", text: text), .agentTextDone(responseId: "r", text: nil)]).state
        let entry = state.transcript.last { $0.role == .agent }!
        let lines = TranscriptLines.layout(entry, width: 20)
        #expect(lines.count > 2)
        for line in lines {
            #expect(Set(line.map(\.style)) == [CellStyle(.agent)])
        }
    }

    @Test func fieldsAfterALiveBadgeStayPutWhenTheActivityChanges() {
        let kinds: [[SessionEvent.Kind]] = [[], [.agentThinking], [.agentTextDelta(responseId: "r", text: "Hi")]]
        let headers = kinds.map { kinds in
            var buffer = CellBuffer(width: 80, height: 1)
            let frame = PaneFrame(snapshot: ConsoleFixtures.snapshot(number: 1, name: "ava", kinds), version: 1, now: 9_000_000)
            buffer.write(PaneView.header(frame, focused: false, room: 75), x: 0, y: 0, limit: 75)
            return buffer.line(0)
        }
        let columns = headers.map { $0.firstRange(of: " 0:08")?.lowerBound.utf16Offset(in: $0) }
        #expect(columns[0] != nil)
        #expect(Set(columns).count == 1, "\(headers)")
    }

    @Test func aNarrowPaneKeepsTheElapsedTimeBeforeThePadding() {
        let frame = PaneFrame(snapshot: ConsoleFixtures.snapshot(number: 1, name: "ava"), version: 1, now: 9_000_000)
        let runs = PaneView.header(frame, focused: false, room: 30)
        var buffer = CellBuffer(width: 40, height: 1)
        buffer.writeWholeRuns(runs, x: 0, y: 0, limit: 30)
        #expect(buffer.line(0).hasPrefix(" 1 ava   LIVE listening  0:08"))
    }

    /// The header's meters: user and agent levels as small bars, talk-over when both speak.
    @Test func theHeaderMetersBothSidesAndShowsTalkOver() {
        var frame = PaneFrame(snapshot: ConsoleFixtures.snapshot(number: 1, name: "ava"), version: 1, now: 9_000_000)
        let text = { (frame: PaneFrame) in PaneView.header(frame, focused: false, room: 120).map(\.text).joined() }
        #expect(!text(frame).contains(" u"), "no meters where the console meters nothing")
        frame.levels = LevelMeters.Reading(user: nil, agent: -40)
        #expect(text(frame).contains(" u▯▯▯ a▮▯▯"))
        #expect(!text(frame).contains("talk-over"))
        frame.levels = LevelMeters.Reading(user: -10, agent: -20)
        #expect(text(frame).contains(" u▮▮▮ a▮▮▯ talk-over"))
    }
}
