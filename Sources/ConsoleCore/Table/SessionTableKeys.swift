/// What view keys do while the session table shows: move the selection (the focused pane)
/// through the rows as they are sorted and filtered, sort, and open a session zoomed.
package enum SessionTableKeys {
    /// Whether the table gives `action` its own meaning.
    static func handles(_ action: ViewAction) -> Bool {
        switch action {
        case .focusNext, .focusPrevious, .focusUp, .focusDown, .scrollPageUp, .scrollPageDown, .scrollToTop, .follow,
            .toggleZoom, .sortNext, .sortPrevious, .reverseSort:
            true
        default:
            false
        }
    }

    static func perform(_ action: ViewAction, on model: inout AppModel, context: ConsoleContext) {
        let rows = context.tableRows
        let columns = SessionColumn.all.count
        switch action {
        case .sortNext, .sortPrevious:
            model.table.sortColumn = (model.table.sortColumn + (action == .sortNext ? 1 : columns - 1)) % columns
            model.notice = "sort by \(SessionColumn.all[model.table.sortColumn].title)"
        case .reverseSort:
            model.table.descending.toggle()
            model.notice = model.table.descending ? "sort descending" : "sort ascending"
        case .toggleZoom:
            // A selection the filter hides opens nothing; the first row stands in for it.
            if !rows.contains(model.focus), let first = rows.first { model.focus = first }
            guard rows.contains(model.focus) else {
                model.notice = "no session matches the filter"
                return
            }
            model.isZoomed = true
        default:
            guard !rows.isEmpty else { return }
            let page = max(1, context.tableViewport)
            let current = rows.firstIndex(of: model.focus)
            let row: Int
            switch action {
            case .focusNext, .focusDown: row = current.map { min($0 + 1, rows.count - 1) } ?? 0
            case .focusPrevious, .focusUp: row = current.map { max($0 - 1, 0) } ?? 0
            case .scrollPageDown: row = current.map { min($0 + page, rows.count - 1) } ?? 0
            case .scrollPageUp: row = current.map { max($0 - page, 0) } ?? 0
            case .scrollToTop: row = 0
            default: row = rows.count - 1
            }
            model.focus = rows[row]
        }
    }
}
