import ConvEngine

/// The session table's rows: which panes show, in which order. Pure; the render loop
/// recomputes it when the settings change and at most once a second as data does
/// (``TableRowsThrottle``), since sorting ten thousand sessions costs more than drawing a frame.
package enum SessionTable {
    /// The indices of `panes` the table shows, in order.
    package static func rows(_ panes: [PaneFrame], settings: TableSettings) -> [Int] {
        var shown = Array(panes.indices)
        if let filter = settings.filter {
            let matcher = filter.matcher()
            shown = shown.filter { matches(panes[$0], filter, matcher) }
        }
        let column = SessionColumn.all[min(max(settings.sortColumn, 0), SessionColumn.all.count - 1)]
        let keys = shown.map { column.value(panes[$0]) }
        // Equal values keep board order in either direction, so rows do not jump about.
        let order = keys.indices.sorted { a, b in
            if keys[a] == keys[b] { return shown[a] < shown[b] }
            return settings.descending ? keys[b] < keys[a] : keys[a] < keys[b]
        }
        return order.map { shown[$0] }
    }

    /// Whether a session passes the filter: `phase:NAME` on the phase's name, else on the
    /// number, name, backend, phase and conversation id.
    private static func matches(_ pane: PaneFrame, _ filter: TextPattern, _ matcher: TextMatcher) -> Bool {
        let snapshot = pane.snapshot
        let state = snapshot.state
        let phasePrefix = "phase:"
        if filter.source.lowercased().hasPrefix(phasePrefix) {
            let wanted = filter.source.dropFirst(phasePrefix.count).lowercased()
            return state.phase.name.hasPrefix(wanted)
        }
        let text = "\(snapshot.number) \(snapshot.name) \(state.backend) \(PhaseBadge.text(state.phase)) \(state.conversationId ?? "")"
        return matcher.matches(text)
    }
}

/// Keeps the table's rows and recomputes them only when the settings change, or when pane
/// data changed and the wall clock's second moved on (the table refreshes like `top`).
package struct TableRowsThrottle: Sendable {
    private var rows: [Int] = []
    private var settings: TableSettings?
    private var second: Int?
    private var stale = true

    package init() {}

    /// Notes that some pane's data changed.
    package mutating func dataChanged() { stale = true }

    /// The rows to show in wall-clock second `second`.
    package mutating func rows(_ panes: [PaneFrame], settings: TableSettings, second: Int) -> [Int] {
        if settings != self.settings || rows.count > panes.count || (stale && second != self.second) {
            rows = SessionTable.rows(panes, settings: settings)
            self.settings = settings
            self.second = second
            stale = false
        }
        return rows
    }
}
