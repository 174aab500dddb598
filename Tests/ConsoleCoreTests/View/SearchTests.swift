import ConvEngine
import Testing

@testable import ConsoleCore

@Suite struct SearchTests {
    private func highlighted(_ runs: [StyledRun]) -> [String] {
        runs.filter { $0.style == SearchHighlight.style }.map { String($0.text) }
    }

    @Test func matchesAreSplitOutOfTheirRunsAcrossRunBoundaries() {
        let line = [StyledRun("agent: ", CellStyle(.agent, bold: true)), StyledRun("your order ships today", .plain)]
        let result = SearchHighlight.apply(TextPattern("ORDER|t: y")!.matcher(), to: line)
        #expect(highlighted(result) == ["t: ", "y", "order"])
        #expect(SearchHighlight.text(result) == SearchHighlight.text(line))
    }

    @Test func wideAndCombiningCharactersAreNeverCut() {
        let cjk = [StyledRun("agent: 您的包裹预计三天内送达", .plain)]
        #expect(highlighted(SearchHighlight.apply(TextPattern("包裹")!.matcher(), to: cjk)) == ["包裹"])
        // A run that begins with a combining mark joins the previous run's last character.
        let seam = [StyledRun("cafe", .plain), StyledRun("\u{301} e\u{301}t\u{E9}", .plain)]
        let result = SearchHighlight.apply(TextPattern("é")!.matcher(), to: seam)
        #expect(SearchHighlight.text(result) == SearchHighlight.text(seam))
        #expect(!highlighted(result).isEmpty)
    }

    @Test func hostileTextAndPatternsDoNoHarm() {
        let line = [StyledRun(String(repeating: "a", count: 500) + "\u{202E}evil\u{0}", .plain)]
        #expect(SearchHighlight.text(SearchHighlight.apply(TextPattern("a*")!.matcher(), to: line)) == SearchHighlight.text(line))
        #expect(highlighted(SearchHighlight.apply(TextPattern("evil")!.matcher(), to: line)) == ["evil"])
        #expect(TextPattern("") == nil)
    }

    @Test func theFrameReportsTheFocusedPanesMatchingLines() {
        let kinds: [SessionEvent.Kind] = [
            .userMessage(text: "where is my parcel"), .agentTextDone(responseId: "r", text: "your parcel ships today"),
            .userMessage(text: "thanks"),
        ]
        var model = ConsoleFixtures.model(panes: 1, width: 60, height: 10)
        model.search = TextPattern("parcel")
        let frame = ConsoleFixtures.render(model, ConsoleFixtures.frames(1, kinds: kinds))
        #expect(frame.matches == [1, 2])
        #expect(frame.buffer.lines[2].contains("parcel"))
        let x = frame.buffer.lines[2].distance(from: frame.buffer.lines[2].startIndex, to: frame.buffer.lines[2].range(of: "parcel")!.lowerBound)
        #expect(frame.buffer[x, 2].style.reverse)
    }

    @Test func slashSearchesAndNStepsThroughMatchesScrollingThePane() {
        let model = ConsoleFixtures.model(panes: 2, width: 60, height: 10)
        let context = ConsoleContext(focusedLines: 100, focusedViewport: 10, focusedMatches: [5, 40, 95])
        var next = press(model, [.character("/")] + "ship".map { .character($0) } + [.enter], context)
        #expect(next.search == TextPattern("ship"))
        next = press(next, [.character("n")], context)
        #expect(next.searchLine == 95 && next.isFollowing(0), "n starts from the top of what shows; a match at the bottom follows")
        next = press(next, [.character("n")], context)
        #expect(next.searchLine == 5, "then wraps to the first")
        #expect(next.scrollTop[0] == 2)
        next = press(next, [.character("n")], context)
        #expect(next.searchLine == 40 && next.scrollTop[0] == 37)
        next = press(next, [.character("N"), .character("N")], context)
        #expect(next.searchLine == 95)
        next = press(next, [.tab], context)
        #expect(next.searchLine == nil, "another pane starts afresh")
        next = press(next, [.escape], context)
        #expect(next.search == nil)
    }

    @Test func nWithoutASearchOrAMatchSaysSo() {
        let model = ConsoleFixtures.model(panes: 1, width: 60, height: 10)
        #expect(press(model, [.character("n")], ConsoleContext()).notice == "no pane has an alert")
        var searching = model
        searching.search = TextPattern("x")
        #expect(press(searching, [.character("N")], ConsoleContext()).notice == "no match for x in pane 1")
    }

    @Test func colonGoesToAPaneByNumberOrName() {
        let model = ConsoleFixtures.model(panes: 200, width: 60, height: 10)
        let context = ConsoleContext(paneNames: (1...200).map { $0 == 147 ? "Ticket-Desk" : "s\($0)" })
        #expect(press(model, [.character(":")] + "147".map { .character($0) } + [.enter], context).focus == 146)
        #expect(press(model, [.character("g")] + "ticket".map { .character($0) } + [.enter], context).focus == 146)
        #expect(press(model, [.character(":")] + "s12".map { .character($0) } + [.enter], context).focus == 11)
        let missing = press(model, [.character(":")] + "999".map { .character($0) } + [.enter], context)
        #expect(missing.focus == 0 && missing.notice == "no pane 999 (1-200)")
    }

    private func press(_ model: AppModel, _ keys: [Key], _ context: ConsoleContext) -> AppModel {
        var current = model
        for key in keys { current = ConsoleUpdate.update(current, .key(key), context: context, keymap: Keymap<LiveAction>.live).0 }
        return current
    }
}

@Suite struct InspectorFilterTests {
    private let kinds: [SessionEvent.Kind] = [
        .userMessage(text: "where is my parcel"), .ping(eventId: 1, latencyMs: 40), .agentTextDone(responseId: "r", text: "it ships today"),
    ]

    private func inspector(_ model: AppModel) -> String {
        ConsoleFixtures.render(model, ConsoleFixtures.frames(1, kinds: kinds)).buffer.lines.joined(separator: "\n")
    }

    @Test func aRegexFilterKeepsMatchingTypesOrPayloads() {
        var model = ConsoleFixtures.model(panes: 1, width: 120, height: 20)
        model = ConsoleFixtures.press([.character("F")] + "parcel|^ping".map { .character($0) } + [.enter], on: model, keymap: Keymap<LiveAction>.live).0
        #expect(model.showsInspector && model.inspector.pattern == TextPattern("parcel|^ping"))
        let screen = inspector(model)
        #expect(screen.contains("user_message") && screen.contains("ping"))
        #expect(!screen.contains("agent_text_done"))
        #expect(screen.contains("F /parcel|^pi"), "the filter shows in the title (clipped)")
    }
}
