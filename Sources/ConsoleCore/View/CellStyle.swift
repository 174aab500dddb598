/// How a cell looks, in terms of meaning; ``ColorScheme`` turns it into colours or, without
/// colour, into bold/dim/reverse attributes.
package struct CellStyle: Hashable, Sendable {
    package var tint: Tint = .plain
    package var bold = false
    package var reverse = false
    package var dim = false

    package static let plain = CellStyle()

    package init(_ tint: Tint = .plain, bold: Bool = false, reverse: Bool = false, dim: Bool = false) {
        self.tint = tint
        self.bold = bold
        self.reverse = reverse
        self.dim = dim
    }

    /// What a cell's colour says.
    package enum Tint: UInt8, CaseIterable, Sendable {
        case plain, user, agent, tool, system, error
        case live, connecting, stopping, ended, failed, idle
        case border, focus, accent, muted
        /// A pane or mark that an alert rule fires on; an interruption (apart from errors).
        case alert, interruption
    }
}
