import Testing

@testable import ConsoleCore

@Suite struct ConsoleLayoutTests {
    private func layout(_ panes: Int, _ width: Int, _ height: Int, focus: Int = 0) -> ConsoleLayout {
        var model = ConsoleFixtures.model(panes: panes, width: width, height: height)
        model.focus = focus
        return ConsoleLayout(model: model)
    }

    /// Every pane on screen, no two overlapping, all inside the pane area.
    private func expectTiled(_ layout: ConsoleLayout, width: Int, height: Int) {
        var covered = Set<Int>()
        for pane in layout.panes {
            #expect(pane.rect.width >= ConsoleLayout.minimumPane.width)
            #expect(pane.rect.height >= ConsoleLayout.minimumPane.height)
            for y in pane.rect.y..<pane.rect.maxY {
                for x in pane.rect.x..<pane.rect.maxX {
                    #expect(x < width && y < height - 1)
                    #expect(covered.insert(y * width + x).inserted)
                }
            }
        }
    }

    @Test(arguments: [(1, 1, 1), (2, 2, 1), (3, 3, 1), (4, 2, 2), (7, 4, 2), (16, 4, 4)])
    func gridShapes(panes: Int, columns: Int, rows: Int) {
        let layout = layout(panes, 120, 40)
        #expect(layout.panes.count == panes)
        #expect(layout.columns == columns)
        #expect(Set(layout.panes.map(\.rect.y)).count == rows)
        #expect(layout.pageCount == 1)
        expectTiled(layout, width: 120, height: 40)
    }

    @Test func theLastRowStretchesAcrossTheScreen() {
        let layout = layout(7, 120, 40)
        let lastRow = layout.panes.filter { $0.rect.y == layout.panes.last!.rect.y }
        #expect(lastRow.count == 3)
        #expect(lastRow.reduce(0) { $0 + $1.rect.width } == 120)
    }

    @Test func tooManyPanesArePaged() {
        let first = layout(64, 120, 40)
        #expect(first.panesPerPage == 42)
        #expect(first.pageCount == 2)
        #expect(first.page == 0)
        let second = layout(64, 120, 40, focus: 50)
        #expect(second.page == 1)
        #expect(second.panes.map(\.index) == Array(42..<64))
        expectTiled(second, width: 120, height: 40)
    }

    @Test func zoomGivesTheFocusedPaneTheWholeArea() {
        var model = ConsoleFixtures.model(panes: 4, width: 120, height: 40)
        model.focus = 2
        model.isZoomed = true
        #expect(ConsoleLayout(model: model).panes == [.init(index: 2, rect: Rect(x: 0, y: 0, width: 120, height: 39))])
    }

    @Test func theInspectorTakesTheRightOnAWideScreenAndTheBottomOnANarrowOne() {
        var model = ConsoleFixtures.model(panes: 4, width: 120, height: 40)
        model.showsInspector = true
        #expect(ConsoleLayout(model: model).inspector == Rect(x: 72, y: 0, width: 48, height: 39))
        model.size = ScreenSize(width: 80, height: 40)
        #expect(ConsoleLayout(model: model).inspector == Rect(x: 0, y: 24, width: 80, height: 15))
    }

    @Test func belowTheMinimumNothingIsLaidOut() {
        let layout = layout(4, 20, 6)
        #expect(layout.isTooSmall)
        #expect(layout.panes.isEmpty)
    }
}
