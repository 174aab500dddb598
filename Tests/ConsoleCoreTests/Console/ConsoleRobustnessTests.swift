import ConvEngine
import Testing
import TestSupport

@testable import ConsoleCore

/// Random keys and sizes through update and view: nothing may trap, and every frame fits.
@Suite struct ConsoleRobustnessTests {
    /// A small deterministic generator, so a failure replays.
    private struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11 ^ state
        }
    }

    @Test(arguments: [1, 3, 7, 20])
    func randomInputsNeverBreakTheScreen(panes count: Int) async {
        // Seconds of CPU in a debug build: off the cooperative pool (see `cpuHeavy`), where
        // two cases at once held both of its threads and starved the timing tests beside them.
        let problems = await cpuHeavy { Self.problems(panes: count) }
        #expect(problems.isEmpty, "\(problems.prefix(5))")
    }

    /// What went wrong over 300 random inputs to a console of `count` panes.
    private static func problems(panes count: Int) -> [String] {
        var problems: [String] = []
        var random = Generator(state: UInt64(count))
        let kinds: [SessionEvent.Kind] = [
            .userMessage(text: "naïve café — 你好，世界！ emoji 😀 e\u{301}"),
            .agentTextDelta(responseId: "r", text: String(repeating: "长文本没有空格", count: 12)),
            .interruption(eventId: nil),
            .toolCall(callId: "c", name: "lookup", arguments: "{\"a\":1}"),
        ]
        let panes = ConsoleFixtures.frames(count, kinds: kinds)
        let keys: [Key] =
            [.enter, .escape, .tab, .backTab, .backspace, .delete, .up, .down, .left, .right, .pageUp, .pageDown, .home, .end]
            + "sxrSXiezf?q1234567890hjklyn 中t/:<>~FpgoNIaG".map { .character($0) } + [.control("w"), .control("u"), .control("a")]
        var model = ConsoleFixtures.model(panes: count, width: 80, height: 24)
        var memo = ConsoleView.Memo()
        var focused = PaneView.Metrics()
        for _ in 0..<300 {
            let input: ConsoleInput =
                Int.random(in: 0..<8, using: &random) == 0
                ? .resize(ScreenSize(width: Int.random(in: 0...220, using: &random), height: Int.random(in: 0...70, using: &random)))
                : .key(keys.randomElement(using: &random)!)
            let context = ConsoleContext(
                activeSessions: count, focusedLines: focused.lines, focusedViewport: focused.viewport,
                focusedEventTypes: ["ping", "user_message"], tableRows: Array((0..<count).reversed()), tableViewport: focused.viewport,
                focusedMatches: [0, 2], paneNames: panes.map(\.snapshot.name), inspectorEvents: [1, 3, 4])
            model = ConsoleUpdate.update(model, input, context: context, keymap: Keymap<LiveAction>.live).0
            model.isRunning = true
            if !(0..<count).contains(model.focus) { problems.append("focus \(model.focus) of \(count) panes") }
            let frame = ConsoleView.render(
                model, panes: panes, chrome: .init(label: "rec /tmp", clock: "00:00:00"), table: Array((0..<count).reversed()), memo: &memo)
            focused = frame.focused
            if frame.buffer.width != max(0, model.size.width) || frame.buffer.height != max(0, model.size.height) {
                problems.append("a \(frame.buffer.width)x\(frame.buffer.height) frame for \(model.size)")
            }
            for y in 0..<frame.buffer.height where CellWidth.of(frame.buffer.line(y)) != frame.buffer.width {
                problems.append("line \(y) is not \(frame.buffer.width) cells wide at \(model.size)")
            }
        }
        return problems
    }
}
