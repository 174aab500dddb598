import ConvEngine

/// The alert list overlay (`!`): every alert firing, oldest first, with its pane, rule, the
/// session time it was raised at and its reason, in a box over the panes.
package enum AlertListView {
    /// The overlay's rows, oldest alert first.
    package static func rows(_ snapshots: [SessionSnapshot]) -> [String] {
        var alerts: [(since: Int64, text: String)] = []
        for snapshot in snapshots {
            for alert in snapshot.state.alerts {
                let when = TimeText.elapsed(microseconds: alert.since)
                alerts.append((alert.since, "\(snapshot.number) \(snapshot.name) · \(alert.rule) at \(when) · \(alert.reason)"))
            }
        }
        return alerts.sorted { $0.since < $1.since }.map(\.text)
    }

    package static func draw(_ snapshots: [SessionSnapshot], in screen: Rect, into buffer: inout CellBuffer) {
        let rows = rows(snapshots)
        let lines = rows.isEmpty ? ["no alerts firing"] : rows
        let width = min(screen.width, max(30, (lines.map(CellWidth.of).max() ?? 0) + 4))
        let height = min(screen.height, lines.count + 2)
        let box = Rect(x: screen.x + (screen.width - width) / 2, y: screen.y + (screen.height - height) / 2, width: width, height: height)
        PaneView.drawBorder(box, focused: true, trouble: rows.isEmpty ? nil : .alert, clearingInside: true, into: &buffer)
        let title = " ! \(rows.count) alert\(rows.count == 1 ? "" : "s") · n/N go to one · any key closes "
        buffer.write(title, x: box.x + 2, y: box.y, style: CellStyle(.alert, bold: true), limit: box.maxX - 2)
        for (row, line) in lines.prefix(box.height - 2).enumerated() {
            buffer.write(line, x: box.x + 2, y: box.y + 1 + row, limit: box.maxX - 1)
        }
    }
}
