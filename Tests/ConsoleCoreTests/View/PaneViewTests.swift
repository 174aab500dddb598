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

    /// A name longer than the header is cut with `…`: the number and the phase still show, also
    /// behind a trouble glyph (left whole, the name was dropped with the number).
    @Test(arguments: [false, true]) func aLongNameIsCutAndTheNumberAndPhaseStay(inTrouble: Bool) {
        let name = String(repeating: "n", count: 150) + "界"
        let kinds: [SessionEvent.Kind] = inTrouble ? [.serverError(code: "x", message: "bad")] : []
        let frame = PaneFrame(snapshot: ConsoleFixtures.snapshot(number: 7, name: name, kinds), version: 1, now: 9_000_000)
        var buffer = CellBuffer(width: 60, height: 1)
        buffer.writeWholeRuns(PaneView.header(frame, focused: false, room: 60), x: 0, y: 0, limit: 60)
        let line = buffer.line(0)
        #expect(line.hasPrefix(inTrouble ? "E 7 nnnn" : " 7 nnnn"), "\(line)")
        #expect(line.contains("n… "), "\(line)")
        #expect(line.contains("LIVE"), "\(line)")
        #expect(PaneView.header(frame, focused: false, room: 400).map(\.text).joined().contains(name), "whole where it fits")
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

    /// A frozen pane's frame names why it does not move: the driver's word (`frozen` for a
    /// stopped replay pane, `lost` for a lost agent's).
    @Test(arguments: ["frozen", "lost"]) func aFrozenPaneSaysTheDriversWord(marker: String) {
        var frames = ConsoleFixtures.frames(2)
        frames[1].isFrozen = true
        frames[1].frozenMarker = marker
        let buffer = ConsoleFixtures.render(ConsoleFixtures.model(panes: 2, width: 100, height: 20), frames).buffer
        let lines = (0..<buffer.height).map { buffer.line($0) }
        #expect(lines.contains { $0.contains("‖ \(marker)") }, "\(lines.joined(separator: "\n"))")
        #expect(lines.filter { $0.contains("‖ ") }.count == 1, "only the frozen pane is marked")
    }
}
