import CNcurses

/// The only code that calls curses. Curses is not thread-safe, so a `Terminal` is created,
/// used and closed on the render thread alone (it is deliberately not `Sendable`).
final class Terminal {
    private let colors: ColorScheme
    /// The size of the frame on the screen; nil before the first and after a resize.
    private var shownSize: ScreenSize?
    private var cursorVisible = false
    private let window: UnsafeMutablePointer<WINDOW>

    init(wantsColor: Bool) {
        // Without the locale, curses treats UTF-8 bytes as Latin-1 and wide characters break.
        convtui_set_locale()
        initscr()
        // initscr either returns the screen or exits the process with a message.
        window = convtui_stdscr()!
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        set_escdelay(25)
        curs_set(0)
        colors = ColorScheme(wantsColor: wantsColor)
    }

    /// Restores the terminal.
    func close() {
        endwin()
    }

    var size: ScreenSize {
        ScreenSize(width: Int(convtui_cols()), height: Int(convtui_lines()))
    }

    /// The next key or resize, or nil when none came within `timeoutMilliseconds`.
    func readInput(timeoutMilliseconds: Int32) -> ConsoleInput? {
        timeout(timeoutMilliseconds)
        var value: wint_t = 0
        let kind = get_wch(&value)
        if kind == KEY_CODE_YES {
            if Int32(value) == KEY_RESIZE {
                shownSize = nil
                return .resize(size)
            }
            return Self.functionKey(Int32(value)).map(ConsoleInput.key)
        }
        guard kind == OK else { return nil }
        switch value {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        case 0..<32, 0x80..<0xA0: return nil  // other controls never reach the model
        default:
            guard let scalar = Unicode.Scalar(UInt32(value)) else { return nil }
            return .key(.character(Character(scalar)))
        }
    }

    private static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_SLEFT: .shiftLeft
        case KEY_SRIGHT: .shiftRight
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_BTAB: .backTab
        case KEY_BACKSPACE: .backspace
        case KEY_DC: .delete
        case KEY_ENTER: .enter
        default: nil
        }
    }

    /// Copies a frame to the screen: only the regions the view says may have changed (curses
    /// then sends only the cells in them that did), batched into one update.
    func draw(_ frame: ConsoleView.Frame) {
        let buffer = frame.buffer
        let size = ScreenSize(width: buffer.width, height: buffer.height)
        let whole = Rect(x: 0, y: 0, width: buffer.width, height: buffer.height)
        let regions: [Rect]
        if shownSize == size, let damage = frame.damage {
            regions = damage
        } else {
            if shownSize != size { werase(window) }
            regions = [whole]
        }
        var text: [wchar_t] = []
        text.reserveCapacity(buffer.width * 2)
        for region in regions {
            let x0 = max(0, region.x), x1 = min(buffer.width, region.maxX)
            for y in max(0, region.y)..<min(buffer.height, region.maxY) {
                var x = x0
                while x < x1 {
                    let style = buffer[x, y].style
                    let runStart = x
                    text.removeAll(keepingCapacity: true)
                    while x < x1, buffer[x, y].style == style {
                        let cell = buffer[x, y]
                        if !cell.isContinuation { append(cell.character, to: &text) }
                        x += 1
                    }
                    wattrset(window, colors.attributes(style))
                    mvwaddnwstr(window, Int32(y), Int32(runStart), text, Int32(text.count))
                }
            }
        }
        wattrset(window, 0)
        if let cursor = frame.cursor {
            if !cursorVisible { curs_set(1) }
            cursorVisible = true
            wmove(window, Int32(cursor.y), Int32(cursor.x))
        } else if cursorVisible {
            curs_set(0)
            cursorVisible = false
        }
        shownSize = size
        wnoutrefresh(window)
        doupdate()
    }

    /// Appends one cell's character so that the terminal advances exactly as many columns as
    /// the view counted: only the base scalar and zero-width marks go out, and where the
    /// system's width table disagrees with ours the cell is padded or replaced.
    private func append(_ character: Character, to text: inout [wchar_t]) {
        if let ascii = character.asciiValue {
            text.append(wchar_t(ascii))
            return
        }
        let expected = CellWidth.of(character)
        var scalars = character.unicodeScalars.makeIterator()
        guard let base = scalars.next() else { return }
        let actual = Int(convtui_wcwidth(base.value))
        guard actual >= 1, actual <= expected else {
            text.append(contentsOf: Array(repeating: wchar_t(UInt8(ascii: "?")), count: max(1, expected)))
            return
        }
        text.append(wchar_t(base.value))
        while let mark = scalars.next() {
            if convtui_wcwidth(mark.value) == 0 { text.append(wchar_t(mark.value)) }
        }
        if actual < expected { text.append(wchar_t(UInt8(ascii: " "))) }
    }
}
