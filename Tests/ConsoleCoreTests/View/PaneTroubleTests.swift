import ConvEngine
import Testing

@testable import ConsoleCore

/// A pane in trouble says so in its frame's colour and with a glyph that survives NO_COLOR,
/// and its trouble is the last thing a narrow pane cuts.
@Suite struct PaneTroubleTests {
    private func render(_ kinds: [SessionEvent.Kind], width: Int = 60) -> ConsoleView.Frame {
        let frames = ConsoleFixtures.frames(1, kinds: kinds)
        return ConsoleFixtures.render(ConsoleFixtures.model(panes: 1, width: width, height: 8), frames)
    }

    @Test func anAlertingPaneHasAnAlertFrameGlyphAndFooter() {
        let frame = render([.userMessage(text: "hello?"), .alert(rule: "dead_air", raised: true, reason: "no agent output 6.00 s")])
        #expect(frame.buffer.lines[0].hasPrefix("╔═!"))
        #expect(frame.buffer[0, 0].style.tint == .alert)
        #expect(frame.buffer[0, 3].style.tint == .alert)
        #expect(frame.buffer.lines[6].contains("! dead_air"))
    }

    @Test func errorsAndInterruptionsHaveTheirOwnColours() {
        let frame = render([.serverError(code: "x", message: "bad"), .interruption(eventId: nil)])
        #expect(frame.buffer.lines[0].hasPrefix("╔═E"))
        #expect(frame.buffer[0, 2].style.tint == .error)
        let footer = frame.buffer.lines[6]
        let err = footer.distance(from: footer.startIndex, to: footer.range(of: "err 1")!.lowerBound)
        let int = footer.distance(from: footer.startIndex, to: footer.range(of: "int 1")!.lowerBound)
        #expect(frame.buffer[err, 6].style.tint == .error)
        #expect(frame.buffer[int, 6].style.tint == .interruption)
    }

    /// Headers and footers give way from their end: trouble leads both.
    @Test func aNarrowPaneKeepsItsTroubleFirst() {
        let kinds: [SessionEvent.Kind] = [.serverError(code: "x", message: "bad"), .alert(rule: "error_burst", raised: true, reason: "3 errors")]
        let pane = ConsoleFixtures.frames(1, kinds: kinds)[0]
        #expect(PaneView.header(pane, focused: false, room: 8).first?.text == "!")
        let footer = PaneView.footer(pane.figures)
        #expect(footer.first?.text.contains("! error_burst") == true)
        #expect(footer[1].text.contains("err 1"))
    }

    @Test func aHealthyPaneHasAPlainFrameAndARestartStartsTheRunsFiguresAfresh() {
        #expect(render([]).buffer[0, 0].style.tint == .focus)
        var state = ConsoleFixtures.snapshot(number: 1, [.serverError(code: "x", message: "bad"), .ended(reason: "r")]).state
        state.apply(SessionEvent(offset: 9_000_000, run: 2, kind: .runStarted(backend: "sim")))
        let figures = PaneFigures(state, now: 9_000_000)
        #expect(figures.runErrors == 0)
        #expect(figures.restarts == 1)
        #expect(figures.trouble == nil)
        #expect(PaneView.footer(figures).map(\.text).joined().contains("restarts 1"))
    }

    @Test func theHeaderShowsTheRunsPercentilesAndSparkline() {
        var kinds: [SessionEvent.Kind] = []
        for i in 0..<3 {
            kinds += [.userMessage(text: "q"), .agentTextDone(responseId: "r\(i)", text: "a"), .agentAudioDone]
        }
        let header = render(kinds, width: 80).buffer.lines[0]
        #expect(header.contains("v2v 250/250ms"))
        #expect(header.contains("▁▁▁") || header.contains("███"))
    }
}
