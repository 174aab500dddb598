import ConsoleCore
import CNcurses

/// Turns a ``CellStyle`` into curses attributes: a colour pair per tint when the terminal has
/// colours and the user did not ask for none (`NO_COLOR`), else bold/dim/reverse alone.
struct ColorScheme {
    /// Attributes per tint, indexed by the tint's raw value.
    private let tintAttributes: [Int32]

    /// Whether the environment asks for no colour (https://no-color.org: set and not empty).
    static func colorWanted(environment: [String: String]) -> Bool {
        (environment["NO_COLOR"] ?? "").isEmpty
    }

    /// Sets up colour pairs; call after `initscr`.
    init(wantsColor: Bool) {
        guard wantsColor && has_colors() else {
            tintAttributes = CellStyle.Tint.allCases.map(Self.monochrome)
            return
        }
        start_color()
        use_default_colors()
        var attributes: [Int32] = []
        for tint in CellStyle.Tint.allCases {
            let pair = Int16(tint.rawValue) + 1
            init_pair(pair, Self.foreground(tint), -1)
            attributes.append(Int32(convtui_color_pair(pair)) | (tint == .muted || tint == .border ? Int32(convtui_attr_dim()) : 0))
        }
        tintAttributes = attributes
    }

    func attributes(_ style: CellStyle) -> Int32 {
        var value = tintAttributes[Int(style.tint.rawValue)]
        if style.bold { value |= Int32(convtui_attr_bold()) }
        if style.reverse { value |= Int32(convtui_attr_reverse()) }
        if style.dim { value |= Int32(convtui_attr_dim()) }
        return value
    }

    private static func foreground(_ tint: CellStyle.Tint) -> Int16 {
        let color: Int32 =
            switch tint {
            case .plain, .border, .muted: -1
            case .user: COLOR_CYAN
            case .agent: COLOR_GREEN
            case .tool: COLOR_MAGENTA
            case .system: COLOR_BLUE
            case .error, .failed: COLOR_RED
            case .live: COLOR_GREEN
            case .connecting, .accent: COLOR_YELLOW
            case .stopping: COLOR_MAGENTA
            case .ended, .idle: COLOR_WHITE
            case .focus: COLOR_CYAN
            case .alert: COLOR_YELLOW
            case .interruption: COLOR_MAGENTA
            }
        return Int16(color)
    }

    /// Without colour, meaning survives as weight: errors and focus bold, chrome dim.
    private static func monochrome(_ tint: CellStyle.Tint) -> Int32 {
        switch tint {
        case .error, .failed, .focus, .live, .alert: Int32(convtui_attr_bold())
        case .muted, .border, .system, .ended, .idle: Int32(convtui_attr_dim())
        case .plain, .user, .agent, .tool, .connecting, .stopping, .accent, .interruption: 0
        }
    }
}
