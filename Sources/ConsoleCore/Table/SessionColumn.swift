import ConvEngine

/// One column of the session table: its heading, its width, and the value each session shows
/// in it, which is also what the column sorts by. A column is one line of ``all``.
package struct SessionColumn: Sendable {
    package let title: String
    /// Cells the column takes (the name column also takes whatever the others leave).
    package let width: Int
    /// A count above zero here is trouble, drawn in the error colour.
    package let warns: Bool
    package let value: @Sendable (PaneFrame) -> SessionCell

    package init(_ title: String, _ width: Int, warns: Bool = false, _ value: @escaping @Sendable (PaneFrame) -> SessionCell) {
        self.title = title
        self.width = width
        self.warns = warns
        self.value = value
    }

    /// The table's columns, left to right.
    package static let all: [SessionColumn] = [
        SessionColumn("#", 5) { .number($0.snapshot.number) },
        SessionColumn("NAME", 16) { .text($0.snapshot.name) },
        SessionColumn("BACKEND", 11) { .text($0.snapshot.state.backend) },
        SessionColumn("PHASE", 20) { .phase($0.snapshot.state.phase) },
        SessionColumn("RUN", 4) { .number($0.snapshot.state.run) },
        SessionColumn("TURNS", 6) { .number($0.snapshot.state.metrics.turns) },
        SessionColumn("LAST TURN", 10) { .milliseconds($0.figures.responseMilliseconds) },
        SessionColumn("V2V P50", 8) { .milliseconds($0.snapshot.state.metrics.runP50) },
        SessionColumn("P95", 7) { .milliseconds($0.snapshot.state.metrics.runP95) },
        SessionColumn("ERR", 5, warns: true) { .number($0.figures.counters.errors) },
        SessionColumn("INT", 5) { .number($0.figures.counters.interruptions) },
        SessionColumn("ALERTS", 7, warns: true) { .number($0.snapshot.state.alerts.count) },
        SessionColumn("UPTIME", 9) { .duration($0.figures.elapsed) },
    ]

    /// The column that takes the spare width, and the fewest cells it keeps on a narrow screen.
    package static let flexible = 1
    package static let flexibleMinimum = 10

    /// Columns that are left out, in this order, when the table does not fit: the least
    /// telling first; number, name, phase, errors and alerts stay (trouble is never cut first).
    /// At 120 columns every column fits.
    package static let givingWay: [Int] = [2, 4, 6, 10, 8, 12, 5, 7]
}

/// What one session shows in one column: typed, so that it sorts as a number, a time or a
/// phase rather than as text, and is formatted only for the rows on screen.
package enum SessionCell: Sendable, Comparable {
    case number(Int)
    case milliseconds(Int?)
    /// Microseconds.
    case duration(Int64?)
    case text(String)
    case phase(SessionPhase)

    /// The cell as drawn.
    package var text: String {
        switch self {
        case .number(let value): "\(value)"
        case .milliseconds(let value): value.map { "\($0)ms" } ?? "–"
        case .duration(let value): value.map { TimeText.elapsed(microseconds: $0) } ?? "–"
        case .text(let text): text
        case .phase(let phase): PhaseBadge.text(phase)
        }
    }

    /// Numbers and times are right-aligned, words left.
    package var isNumeric: Bool {
        switch self {
        case .number, .milliseconds, .duration: true
        case .text, .phase: false
        }
    }

    /// Missing values sort first; phases in status-bar order.
    private var key: (Int64, String) {
        switch self {
        case .number(let value): (Int64(value), "")
        case .milliseconds(let value): (value.map(Int64.init) ?? -1, "")
        case .duration(let value): (value ?? -1, "")
        case .text(let text): (0, text)
        case .phase(let phase): (Int64(PhaseBadge.rank(phase)), PhaseBadge.text(phase))
        }
    }

    package static func < (lhs: SessionCell, rhs: SessionCell) -> Bool { lhs.key < rhs.key }
    package static func == (lhs: SessionCell, rhs: SessionCell) -> Bool { lhs.key == rhs.key }
}
