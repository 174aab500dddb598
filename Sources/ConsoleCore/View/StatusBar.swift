import ConvEngine

/// The bottom row: sessions in trouble, sessions by phase, the fleet's latencies, the page,
/// the latest notice, then the driver's label
/// (where logs go), the clock and key hints. Parts on the right give way first.
package enum StatusBar {
    package static func draw(
        phaseCounts: [String: Int], fleet: FleetFigures = FleetFigures(), layout: ConsoleLayout, notice: String?, label: String, clock: String,
        hints: String, zoomed: Bool,
        in rect: Rect, into buffer: inout CellBuffer
    ) {
        let bar = CellStyle(.plain, reverse: true)
        buffer.fill(rect, style: bar)
        var left: [StyledRun] = [StyledRun(" ", bar)]
        if zoomed {
            // Reversed back to plain on the reversed bar: shows without colour too.
            left.append(StyledRun(" ZOOM ", CellStyle(.accent, bold: true)))
            left.append(StyledRun(" ", bar))
        }
        left += fleet.troubleRuns
        for (name, tint) in PhaseBadge.order {
            guard let count = phaseCounts[name], count > 0 else { continue }
            left.append(StyledRun(" \(count) \(name) ", CellStyle(tint, bold: true, reverse: true)))
        }
        left += fleet.latencyRuns
        if layout.pageCount > 1 {
            left.append(StyledRun(" │ page \(layout.page + 1)/\(layout.pageCount)", bar))
        }
        if let notice {
            left.append(StyledRun(" │ " + notice, CellStyle(.accent, bold: true, reverse: true)))
        }
        let rightParts = [" " + label + " ", " " + clock + " ", " " + hints + " "]
        let leftWidth = left.reduce(0) { $0 + CellWidth.of($1.text) }
        var right = ""
        // Keep the clock and hints first; the label goes when space is short.
        for part in [rightParts[1] + rightParts[2], rightParts[0] + rightParts[1] + rightParts[2]]
        where leftWidth + CellWidth.of(part) <= rect.width {
            right = part
        }
        let end = buffer.write(left, x: rect.x, y: rect.y, limit: rect.maxX)
        let rightWidth = CellWidth.of(right)
        if !right.isEmpty, end <= rect.maxX - rightWidth {
            buffer.write(right, x: rect.maxX - rightWidth, y: rect.y, style: bar, limit: rect.maxX)
        }
    }

    /// The key hints for what keys mean right now: typing, a question, help, a zoomed pane,
    /// the table, a replay or the grid.
    package static func hints(_ model: AppModel, replay: Bool) -> String {
        switch model.mode {
        case .prompt: return "Enter done  Esc cancel"
        case .confirm: return "y yes  other key no"
        case .help: return "↑↓ scroll  other key closes"
        case .alerts: return "any key closes"
        case .inspector: return "↑↓ scroll  End follow  Enter open  f types  Esc back"
        case .eventTypes: return "Space show/hide  o only  a all  Enter done"
        case .eventDetail: return "↑↓ scroll  Esc close"
        case .normal: break
        }
        if model.isZoomed { return "Esc back  / search  ? help" }
        if model.showsTable { return "Enter open  / filter  < > sort  t grid  ? help" }
        return replay ? "Space play  [ ] step  ? help  q quit" : "? help  q quit"
    }
}
