import ConvEngine
import Testing

@testable import ConsoleCore

@Suite struct ConsoleViewTests {
    private let conversation: [SessionEvent.Kind] = [
        .userMessage(text: "hello there"),
        .agentTextDelta(responseId: "r1", text: "Hi! How can I help you today?"),
        .agentTextDone(responseId: "r1", text: nil),
    ]

    @Test func onePaneFillsTheScreen() {
        let frame = ConsoleFixtures.render(ConsoleFixtures.model(panes: 1, width: 40, height: 8), ConsoleFixtures.frames(1, kinds: conversation))
        #expect(frame.buffer.lines == [
            "╔═ 1 s1   LIVE agent speaking  0:09 ═══╗",
            "║· run 1 started                       ║",
            "║you: hello there                      ║",
            "║agent: Hi! How can I help you today?  ║",
            "║                                      ║",
            "║                                      ║",
            "╚═ err 0 · int 0 · in 3 out 1 ═════════╝",
            "  1 live       12:00:00  ? help  q quit ",
        ])
    }

    @Test(arguments: [1, 2, 3, 4, 7, 16])
    func everyPaneShowsItsHeaderAndTranscript(count: Int) {
        let frame = ConsoleFixtures.render(ConsoleFixtures.model(panes: count, width: 200, height: 60), ConsoleFixtures.frames(count, kinds: conversation))
        let screen = frame.buffer.lines.joined(separator: "\n")
        for number in 1...count {
            #expect(screen.contains(" \(number) s\(number) "))
        }
        #expect(screen.components(separatedBy: "agent: Hi!").count - 1 == count)
        #expect(screen.components(separatedBy: "╔").count - 1 == 1, "exactly one pane has the focus frame")
        #expect(frame.buffer.lines.last!.contains("\(count) live"))
    }

    @Test func fourPanesSideBySide() {
        let frame = ConsoleFixtures.render(ConsoleFixtures.model(panes: 4, width: 60, height: 13), ConsoleFixtures.frames(4, kinds: conversation))
        let lines = frame.buffer.lines
        #expect(lines[0] == "╔═ 1 s1   LIVE  0:09 ════════╗┌─ 2 s2   LIVE  0:09 ────────┐")
        #expect(lines[2] == "║you: hello there            ║│you: hello there            │")
        #expect(lines[6].hasPrefix("┌─ 3 s3"))
        #expect(lines[12].hasPrefix("  4 live"))
    }

    @Test func chineseInANarrowPaneWrapsWithoutSplittingACharacter() {
        let kinds: [SessionEvent.Kind] = [.agentTextDelta(responseId: "r", text: "您的包裹预计三天内送达，到时会有短信通知您。")]
        let frame = ConsoleFixtures.render(ConsoleFixtures.model(panes: 2, width: 41, height: 10), ConsoleFixtures.frames(2, kinds: kinds))
        let lines = frame.buffer.lines
        #expect(lines[2] == "║agent: 您的包裹预 ║│agent: 您的包裹预计│")
        #expect(lines[3] == "║  计三天内送达，到║│  三天内送达，到时 │")
        for y in 0..<frame.buffer.height {
            // A continuation cell always follows a wide character in the same row.
            for x in 0..<frame.buffer.width where frame.buffer[x, y].isContinuation {
                #expect(x > 0 && CellWidth.of(frame.buffer[x - 1, y].character) == 2)
            }
            #expect(CellWidth.of(frame.buffer.line(y)) == 41)
        }
        let text = lines.joined()
        #expect(text.contains("您的包裹"))
        #expect(text.contains("通知您。") || text.contains("通知您"))
    }

    @Test func wrappingUsesAHangingIndentAndMarksInterruptedTurns() {
        let kinds: [SessionEvent.Kind] = [
            .agentTextDelta(responseId: "r", text: "one two three four five six seven eight"),
            .interruption(eventId: nil),
        ]
        let frame = ConsoleFixtures.render(ConsoleFixtures.model(panes: 1, width: 30, height: 10), ConsoleFixtures.frames(1, kinds: kinds))
        let lines = frame.buffer.lines
        #expect(lines[2] == "║agent: one two three four   ║")
        #expect(lines[3] == "║  five six seven eight      ║")
        #expect(lines[4] == "║  ⟂ interrupted             ║")
    }

    @Test func theStreamingTurnGrowsInPlace() {
        let kinds: [SessionEvent.Kind] = [.agentTextDelta(responseId: "r", text: "Hel")]
        var model = ConsoleFixtures.model(panes: 1, width: 30, height: 8)
        var memo = ConsoleView.Memo()
        let first = ConsoleView.render(model, panes: ConsoleFixtures.frames(1, kinds: kinds), chrome: .init(), memo: &memo)
        #expect(first.buffer.line(2) == "║agent: Hel▌                 ║")
        let more = ConsoleFixtures.frames(1, kinds: kinds + [.agentTextDelta(responseId: "r", text: "lo")])
        let later = PaneFrame(snapshot: more[0].snapshot, version: 3, now: 0)
        model.notice = nil
        let second = ConsoleView.render(model, panes: [later], chrome: .init(), memo: &memo)
        #expect(second.buffer.line(2) == "║agent: Hello▌               ║")
        #expect(second.buffer.line(3) == "║                            ║")
    }

    @Test func hostileTextShowsAsVisibleSymbolsOnly() {
        let hostile = TextSanitizer.sanitize("hi \u{1B}]0;pwned\u{07} \u{1B}[2J\r\u{8}\u{202E}evil\u{9B}31m")
        let kinds: [SessionEvent.Kind] = [.agentTextDelta(responseId: "r", text: hostile), .agentTextDone(responseId: "r", text: nil)]
        let frames = [PaneFrame(snapshot: ConsoleFixtures.snapshot(number: 1, name: TextSanitizer.sanitize("bad\u{1B}[31m"), kinds), version: 2, now: 0)]
        let frame = ConsoleFixtures.render(ConsoleFixtures.model(panes: 1, width: 60, height: 8), frames)
        for y in 0..<frame.buffer.height {
            for x in 0..<frame.buffer.width {
                for scalar in frame.buffer[x, y].character.unicodeScalars {
                    #expect(scalar.value >= 0x20 && scalar.value != 0x7F && !(0x80..<0xA0).contains(scalar.value))
                    #expect(scalar.properties.generalCategory != .format)
                }
            }
        }
        #expect(frame.buffer.lines.joined().contains("␛]0;pwned␇"))
        #expect(frame.buffer.line(0).contains("bad␛[31m"))
    }

    @Test func aTinyTerminalSaysSo() {
        let frame = ConsoleFixtures.render(ConsoleFixtures.model(panes: 4, width: 20, height: 6), ConsoleFixtures.frames(4))
        #expect(frame.buffer.lines == [
            "                    ",
            " terminal too small ",
            "     need 30×8      ",
            "     have 20×6      ",
            "                    ",
            "                    ",
        ])
    }

    @Test func scrolledBackShowsHowManyLinesAreBelow() {
        let kinds: [SessionEvent.Kind] = (1...20).map { .userMessage(text: "message \($0)") }
        var model = ConsoleFixtures.model(panes: 1, width: 40, height: 10)
        model.scrollTop[0] = 0
        let frame = ConsoleFixtures.render(model, ConsoleFixtures.frames(1, kinds: kinds))
        #expect(frame.buffer.line(1) == "║· run 1 started                       ║")
        #expect(frame.buffer.line(7).hasPrefix("║↓ 14 new lines below · End follows"))
        #expect(frame.focused == PaneView.Metrics(lines: 21, viewport: 7))
    }

    @Test func theInputLineShowsTheCursorAfterWideText() {
        var model = ConsoleFixtures.model(panes: 2, width: 60, height: 12)
        model.focus = 1
        model.mode = .prompt(.text(.send), InputLine("你好 ok"))
        let frame = ConsoleFixtures.render(model, ConsoleFixtures.frames(2))
        #expect(frame.buffer.line(10).hasPrefix(" message to 2 s2 › 你好 ok"))
        #expect(frame.cursor! == (x: 19 + 7, y: 10))
    }

    @Test func helpScrollsOnASmallScreenThroughEveryBinding() {
        var model = ConsoleFixtures.model(panes: 4, width: 80, height: 24)
        model.mode = .help
        var seen = ""
        for _ in 0..<10 {
            let screen = ConsoleFixtures.render(model, ConsoleFixtures.frames(4)).buffer.lines.joined(separator: "\n")
            seen += screen
            model = ConsoleUpdate.update(model, .key(.pageDown), context: ConsoleContext(), keymap: Keymap<LiveAction>.live).0
        }
        #expect(model.mode == .help, "page keys scroll rather than close")
        #expect(seen.contains("↑↓ PgUp PgDn scroll"))
        for binding in Keymap<LiveAction>.live.bindings {
            #expect(seen.contains(binding.help))
        }
        #expect(ConsoleUpdate.update(model, .key(.character("x")), context: ConsoleContext(), keymap: Keymap<LiveAction>.live).0.mode == .normal)
    }

    @Test func helpListsEveryBinding() {
        var model = ConsoleFixtures.model(panes: 4, width: 120, height: 60)
        model.mode = .help
        let screen = ConsoleFixtures.render(model, ConsoleFixtures.frames(4)).buffer.lines.joined(separator: "\n")
        for binding in Keymap<LiveAction>.live.bindings {
            #expect(screen.contains(binding.help))
        }
    }

    @Test func theInspectorListsEventsAndFilters() {
        var model = ConsoleFixtures.model(panes: 1, width: 120, height: 20)
        model.showsInspector = true
        let all = ConsoleFixtures.render(model, ConsoleFixtures.frames(1, kinds: conversation)).buffer.lines.joined(separator: "\n")
        #expect(all.contains("→ user_message"))
        #expect(all.contains("← agent_text_delta"))
        model.inspector.hidden = ["agent_text_delta"]
        let filtered = ConsoleFixtures.render(model, ConsoleFixtures.frames(1, kinds: conversation)).buffer.lines.joined(separator: "\n")
        #expect(filtered.contains("→ user_message"))
        #expect(!filtered.contains("agent_text_delta"))
        #expect(filtered.contains("1 type hidden"))
    }
}

@Suite("Console view memo")
struct ConsoleViewMemoTests {
    /// A pane that has seen `step` agent deltas (a new version each), live since offset 0.
    private static func pane(_ number: Int, step: Int, now: Int64, frozen: Bool = false) -> PaneFrame {
        let kinds: [SessionEvent.Kind] = (0..<step).map { .agentTextDelta(responseId: "r", text: " word\($0)") }
        let snapshot = ConsoleFixtures.snapshot(number: number, name: "s\(number)", kinds)
        return PaneFrame(snapshot: snapshot, version: UInt64(step + 1), now: now, isFrozen: frozen)
    }

    @Test func aMemoNeverChangesWhatAFrameLooksLike() {
        var model = ConsoleFixtures.model(panes: 4, width: 100, height: 30)
        var memo = ConsoleView.Memo()
        var steps = [0, 0, 0, 0]
        var previous: CellBuffer?
        for frame in 0..<24 {
            // Pane 1 changes every frame, pane 2 every third, the others never; the clock
            // moves every fourth (a new elapsed second in the headers).
            steps[0] += 1
            if frame % 3 == 0 { steps[1] += 1 }
            let now = Int64(frame / 4) * 1_000_000 + 5_000_000
            if frame == 8 { model.focus = 2 }
            if frame == 12 { model.showsInspector = true }
            if frame == 18 { model.mode = .help }
            if frame == 20 { model.mode = .normal }
            let panes = (0..<4).map { Self.pane($0 + 1, step: steps[$0], now: now, frozen: frame >= 16 && $0 == 3) }
            let chrome = ConsoleView.Chrome(label: "rec", clock: "12:00:\(frame)")
            let drawn = ConsoleView.render(model, panes: panes, chrome: chrome, memo: &memo)
            var fresh = ConsoleView.Memo()
            let expected = ConsoleView.render(model, panes: panes, chrome: chrome, memo: &fresh)
            #expect(drawn.buffer == expected.buffer, "frame \(frame)")
            #expect(drawn.focused == expected.focused, "frame \(frame)")
            if let previous, let damage = drawn.damage {
                for y in 0..<drawn.buffer.height {
                    for x in 0..<drawn.buffer.width where !damage.contains(where: { $0.contains(x: x, y: y) }) {
                        #expect(drawn.buffer[x, y] == previous[x, y], "frame \(frame) cell \(x),\(y) changed outside the damage")
                    }
                }
            }
            previous = drawn.buffer
        }
    }

    /// Lines moving up as new ones arrive, one or several a frame, wide characters among
    /// them: rows moved rather than written again must read as a fresh frame does.
    @Test func linesMovingUpLookAsIfDrawnAfresh() {
        let model = ConsoleFixtures.model(panes: 4, width: 100, height: 30)
        var memo = ConsoleView.Memo()
        var kinds: [SessionEvent.Kind] = []
        let texts = ["short one", "您的包裹预计三天内送达，到时会有短信通知您。", "a longer message that wraps over two lines of the pane", "ok"]
        for frame in 0..<40 {
            for i in 0..<(frame % 3 + 1) { kinds.append(.userMessage(text: "\(frame).\(i) " + texts[(frame + i) % texts.count])) }
            // A turn streaming over several frames: its last line changes as the lines above move.
            kinds.append(.agentTextDelta(responseId: "r\(frame / 5)", text: " streaming words \(frame)"))
            let snapshot = ConsoleFixtures.snapshot(number: 1, name: "s1", kinds)
            let panes = [PaneFrame(snapshot: snapshot, version: UInt64(frame + 1), now: 5_000_000)]
                + (2...4).map { Self.pane($0, step: 1, now: 5_000_000) }
            let drawn = ConsoleView.render(model, panes: panes, chrome: .init(), memo: &memo)
            var fresh = ConsoleView.Memo()
            let expected = ConsoleView.render(model, panes: panes, chrome: .init(), memo: &fresh)
            #expect(drawn.buffer == expected.buffer, "frame \(frame)")
        }
    }

    @Test func onlyTheRowsThatChangedAreDamaged() {
        let model = ConsoleFixtures.model(panes: 4, width: 100, height: 30)
        let rect = ConsoleLayout(model: model).panes[2].rect
        var memo = ConsoleView.Memo()
        var panes = (0..<4).map { Self.pane($0 + 1, step: 1, now: 5_000_000) }
        #expect(ConsoleView.render(model, panes: panes, chrome: .init(), memo: &memo).damage == nil)
        // A new word while the throttle holds the figures: only its transcript row.
        let grown = Self.pane(3, step: 2, now: 5_000_000)
        panes[2] = PaneFrame(snapshot: grown.snapshot, version: grown.version, figures: panes[2].figures)
        let word = ConsoleView.render(model, panes: panes, chrome: .init(), memo: &memo).damage
        #expect(word == [Rect(x: rect.x + 1, y: rect.y + 2, width: rect.width - 2, height: 1)])
        // The figures brought up to date: the header and footer rows.
        panes[2] = grown
        let figures = ConsoleView.render(model, panes: panes, chrome: .init(), memo: &memo).damage
        #expect(figures == [Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), Rect(x: rect.x, y: rect.maxY - 1, width: rect.width, height: 1)])
        // Nothing new: nothing damaged.
        #expect(ConsoleView.render(model, panes: panes, chrome: .init(), memo: &memo).damage == [])
    }
}

extension Rect {
    fileprivate func contains(x px: Int, y py: Int) -> Bool {
        px >= x && px < maxX && py >= y && py < maxY
    }
}
