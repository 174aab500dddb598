import ConvEngine
import Testing

@testable import ConsoleCore

@Suite struct SessionTableTests {
    /// Five sessions: s3 failed, s2 with two errors, s5 idle, the others live.
    private var panes: [PaneFrame] {
        let error: SessionEvent.Kind = .serverError(code: "x", message: "boom")
        let snapshots = [
            ConsoleFixtures.snapshot(number: 1, name: "carol"),
            ConsoleFixtures.snapshot(number: 2, name: "alice", [error, error]),
            ConsoleFixtures.snapshot(number: 3, name: "bob", [.failed(error: "refused")]),
            ConsoleFixtures.snapshot(number: 4, name: "dave"),
            ConsoleFixtures.snapshot(number: 5, name: "erin", live: false),
        ]
        return snapshots.map { PaneFrame(snapshot: $0, version: 1, now: 10_000_000) }
    }

    private func column(_ title: String) -> Int { SessionColumn.all.firstIndex { $0.title == title }! }

    @Test func sortsByAnyColumnEitherWayKeepingBoardOrderForTies() {
        #expect(SessionTable.rows(panes, settings: TableSettings()) == [0, 1, 2, 3, 4])
        #expect(SessionTable.rows(panes, settings: TableSettings(sortColumn: column("NAME"))) == [1, 2, 0, 3, 4])
        #expect(SessionTable.rows(panes, settings: TableSettings(sortColumn: column("NAME"), descending: true)) == [4, 3, 0, 2, 1])
        #expect(SessionTable.rows(panes, settings: TableSettings(sortColumn: column("ERR"), descending: true)) == [1, 2, 0, 3, 4], "failing counts an error")
        // Phases in status-bar order: live first, then idle, then failed.
        #expect(SessionTable.rows(panes, settings: TableSettings(sortColumn: column("PHASE"))) == [0, 1, 3, 4, 2])
    }

    @Test func filtersByTextRegexOrPhase() {
        #expect(SessionTable.rows(panes, settings: TableSettings(filter: TextPattern("AL"))) == [1])
        #expect(SessionTable.rows(panes, settings: TableSettings(filter: TextPattern("^[0-9]+ (bob|dave)"))) == [2, 3])
        #expect(SessionTable.rows(panes, settings: TableSettings(filter: TextPattern("phase:failed"))) == [2])
        #expect(SessionTable.rows(panes, settings: TableSettings(filter: TextPattern("failed"))) == [2])
        #expect(SessionTable.rows(panes, settings: TableSettings(filter: TextPattern("nobody"))).isEmpty)
    }

    @Test func aBrokenRegexFiltersAsText() {
        let pattern = TextPattern("a[")!
        #expect(!pattern.isRegex)
        #expect(pattern.matches("xa[y"))
        #expect(!pattern.matches("ab"))
    }

    @Test func theThrottleSortsAgainOnlyForNewSettingsOrNewDataInANewSecond() {
        var throttle = TableRowsThrottle()
        let byName = TableSettings(sortColumn: column("NAME"))
        #expect(throttle.rows(panes, settings: byName, second: 1) == [1, 2, 0, 3, 4])
        let renamed = [PaneFrame(snapshot: ConsoleFixtures.snapshot(number: 1, name: "aaron"), version: 2, now: 0)] + Array(panes.dropFirst())
        throttle.dataChanged()
        #expect(throttle.rows(renamed, settings: byName, second: 1) == [1, 2, 0, 3, 4], "same second: the old order")
        #expect(throttle.rows(renamed, settings: byName, second: 2) == [0, 1, 2, 3, 4])
        #expect(throttle.rows(renamed, settings: TableSettings(), second: 2) == [0, 1, 2, 3, 4])
    }

    @Test func tKeyShowsTheTableAndEnterOpensTheSelectedSessionZoomed() {
        let model = ConsoleFixtures.model(panes: 5, width: 100, height: 20)
        let context = ConsoleContext(tableRows: [1, 2, 0, 3, 4], tableViewport: 10)
        var next = update(model, [.character("t")], context)
        #expect(next.showsTable)
        next = update(next, [.up], context)
        #expect(next.focus == 2, "up walks the rows in table order: 0 is third, after 2")
        next = update(next, [.enter], context)
        #expect(next.isZoomed && next.focus == 2)
        next = update(next, [.escape], context)
        #expect(!next.isZoomed && next.showsTable, "Esc goes back to the table")
        next = update(next, [.end], context)
        #expect(next.focus == 4)
        next = update(next, [.character("t")], context)
        #expect(!next.showsTable)
    }

    @Test func slashFiltersTheTableAndSortKeysCycleColumns() {
        var model = ConsoleFixtures.model(panes: 5, width: 100, height: 20)
        model.showsTable = true
        var next = update(model, [.character("/"), .character("b"), .character("o"), .enter], ConsoleContext())
        #expect(next.table.filter == TextPattern("bo"))
        #expect(next.search == nil)
        next = update(next, [.character(">"), .character(">"), .character("~")], ConsoleContext())
        #expect(next.table.sortColumn == 2 && next.table.descending)
        next = update(next, [.character("<"), .character("<"), .character("<")], ConsoleContext())
        #expect(next.table.sortColumn == SessionColumn.all.count - 1)
        next = update(next, [.escape], ConsoleContext())
        #expect(next.table.filter == nil)
    }

    @Test func enterWithTheSelectionFilteredOutOpensTheFirstRow() {
        var model = ConsoleFixtures.model(panes: 5, width: 100, height: 20)
        model.showsTable = true
        let next = update(model, [.enter], ConsoleContext(tableRows: [3, 4]))
        #expect(next.isZoomed && next.focus == 3)
        #expect(!update(model, [.enter], ConsoleContext(tableRows: [])).isZoomed)
    }

    @Test func theTableDrawsOneRowPerSessionWithTheSelectionReversed() {
        var model = ConsoleFixtures.model(panes: 5, width: 110, height: 12)
        model.showsTable = true
        model.focus = 2
        var memo = ConsoleView.Memo()
        let rows = SessionTable.rows(panes, settings: model.table)
        let frame = ConsoleView.render(model, panes: panes, chrome: .init(clock: "12:00:00"), table: rows, memo: &memo)
        let lines = frame.buffer.lines
        #expect(lines[0].hasPrefix(" sessions 5 of 5 · sort # ▲"))
        #expect(lines[1].hasPrefix("#▲    NAME"))
        #expect(lines[2].hasPrefix("    1 carol"))
        #expect(lines[4].contains("bob") && lines[4].contains("FAILED"))
        #expect(frame.buffer[8, 4].style.reverse, "the selected row is reversed")
        #expect(!frame.buffer[8, 3].style.reverse)
        #expect(frame.tableViewport == 12 - 1 - TableView.chromeRows)
        #expect(lines[3].contains("alice") && lines[3].contains("    2 "), "errors show")
    }

    @Test func tenThousandSessionsPageToTheSelection() {
        let many = (1...10_000).map { PaneFrame(snapshot: ConsoleFixtures.snapshot(number: $0, name: "s\($0)"), version: 1, now: 0) }
        var model = ConsoleFixtures.model(panes: many.count, width: 200, height: 60)
        model.showsTable = true
        model.focus = 9_999
        var memo = ConsoleView.Memo()
        let frame = ConsoleView.render(model, panes: many, chrome: .init(), table: Array(many.indices), memo: &memo)
        #expect(frame.buffer.lines.contains { $0.hasPrefix("10000 s10000 ") })
    }

    private func update(_ model: AppModel, _ keys: [Key], _ context: ConsoleContext) -> AppModel {
        var current = model
        for key in keys { current = ConsoleUpdate.update(current, .key(key), context: context, keymap: Keymap<LiveAction>.live).0 }
        return current
    }
}

@Suite struct PhaseBadgeRankTests {
    @Test func ranksFollowTheStatusBarOrder() {
        let phases: [SessionPhase] = [.live(.listening), .connecting, .stopping, .idle, .ended(reason: "x"), .failed(error: "y")]
        #expect(phases.map(PhaseBadge.rank) == Array(0..<6))
        #expect(phases.map(\.name) == PhaseBadge.order.map(\.name))
    }
}

/// Which columns the table keeps as the screen narrows.
@Suite struct SessionTableColumnTests {
    private func headings(width: Int) -> String {
        var model = ConsoleFixtures.model(panes: 2, width: width, height: 12)
        model.showsTable = true
        let panes = ConsoleFixtures.frames(2, kinds: [.userMessage(text: "q"), .agentTextDone(responseId: "r", text: "a"), .agentAudioDone])
        var memo = ConsoleView.Memo()
        let frame = ConsoleView.render(model, panes: panes, chrome: .init(clock: "12:00:00"), table: [0, 1], memo: &memo)
        return frame.buffer.lines[1]
    }

    @Test func everyColumnFitsAt120Columns() {
        let line = headings(width: 120)
        for column in SessionColumn.all {
            #expect(line.contains(column.title), "\(column.title) at 120 columns: \(line)")
        }
        #expect(TableView.columnWidths(120).allSatisfy { $0 > 0 })
    }

    @Test func aNarrowScreenLeavesOutWholeColumnsKeepingTrouble() {
        for width in [60, 80, 100, 110] {
            let widths = TableView.columnWidths(width)
            let used = widths.reduce(0) { $0 + ($1 > 0 ? $1 + 1 : 0) } - 1
            #expect(used <= width, "no column is cut at \(width)")
            let line = headings(width: width)
            for title in ["#", "NAME", "PHASE", "ERR", "ALERTS"] { #expect(line.contains(title), "\(title) at \(width)") }
        }
        #expect(!headings(width: 80).contains("BACKEND"), "the backend gives way first")
    }

    @Test func turnsAreTheCompletedTurns() {
        let panes = ConsoleFixtures.frames(1, kinds: [.userMessage(text: "q"), .agentTextDone(responseId: "r", text: "a"), .agentAudioDone])
        let turns = SessionColumn.all.first { $0.title == "TURNS" }!.value(panes[0])
        #expect(turns == .number(panes[0].snapshot.state.metrics.turns) && turns == .number(1))
    }
}
