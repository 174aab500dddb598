import ConvEngine

/// The replay timeline above the status bar: play state, position (with tenths while paused)
/// and length, speed, and a bar with the position and a mark for every interruption (`|`),
/// operator mark (`◆`), alert (`▲`) and error (`!`).
package enum TimelineBar {
    package static func rows(_ timeline: ReplayTimeline, width: Int) -> [[StyledRun]] {
        let state = timeline.isPlaying ? "▶" : "‖"
        // Paused, the operator steps event by event: tenths tell the steps apart.
        let position = timeline.isPlaying ? TimeText.elapsed(microseconds: timeline.position) : TimeText.elapsedTenths(microseconds: timeline.position)
        let label = " \(state) \(position) / \(TimeText.elapsed(microseconds: timeline.total)) · \(speedText(timeline.speed)) "
        let labelWidth = CellWidth.of(label)
        let barWidth = width - labelWidth - 3
        var runs = [StyledRun(label, CellStyle(.accent, bold: true))]
        guard barWidth >= 4 else { return [runs] }
        var cells = [Character](repeating: "─", count: barWidth)
        var tints = [CellStyle.Tint](repeating: .muted, count: barWidth)
        let at = column(timeline.fraction(of: timeline.position), width: barWidth)
        for i in 0..<at {
            cells[i] = "━"
            tints[i] = .accent
        }
        // An error outranks an alert, an alert an operator mark, that an interruption, in the
        // same column. Ranked as integers: ten thousand logs have tens of thousands of marks,
        // and this runs at every draw.
        var ranks = [UInt8](repeating: 0, count: barWidth)
        for mark in timeline.marks {
            let i = column(timeline.fraction(of: mark.time), width: barWidth)
            ranks[i] = max(ranks[i], rank(mark.kind))
        }
        for i in 0..<barWidth {
            switch ranks[i] {
            case 4: (cells[i], tints[i]) = ("!", .error)
            case 3: (cells[i], tints[i]) = ("▲", .alert)
            case 2: (cells[i], tints[i]) = ("◆", .tool)
            case 1: (cells[i], tints[i]) = ("|", .system)
            default: break
            }
        }
        cells[at] = "●"
        tints[at] = .focus
        runs.append(StyledRun("│", CellStyle(.border)))
        var start = 0
        while start < barWidth {
            var end = start + 1
            while end < barWidth, tints[end] == tints[start] { end += 1 }
            runs.append(StyledRun(String(cells[start..<end]), CellStyle(tints[start], bold: tints[start] == .focus || tints[start] == .error)))
            start = end
        }
        runs.append(StyledRun("│", CellStyle(.border)))
        return [runs]
    }

    /// `0.25×`, `1×`, `64×`.
    package static func speedText(_ speed: Double) -> String {
        speed >= 1 ? "\(Int(speed))×" : (speed == 0.5 ? "0.5×" : "0.25×")
    }

    private static func rank(_ kind: ReplayMark.Kind) -> UInt8 {
        switch kind {
        case .error: 4
        case .alert: 3
        case .operatorMark: 2
        case .interruption: 1
        }
    }

    private static func column(_ fraction: Double, width: Int) -> Int {
        min(width - 1, max(0, Int((fraction * Double(width - 1)).rounded())))
    }
}
