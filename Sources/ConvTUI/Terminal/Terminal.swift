import ConsoleCore
import CNcurses

/// The only code that calls curses. Curses is not thread-safe, so a `Terminal` is created,
/// used and closed on the render thread alone (it is deliberately not `Sendable`).
final class Terminal {
    private let colors: ColorScheme
    /// What is on the screen now (the terminal's own copy, updated cell by cell, so it never
    /// shares storage with the view's frames); nil before the first frame and after a resize.
    private var shown: CellBuffer?
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
        // With the cursor hidden, curses need not put it back after each update (a move and an
        // attribute reset every frame).
        leaveok(window, true)
        // Curses otherwise polls the keyboard every few lines of an update (to give up on it
        // when keys are waiting): five polls a frame, for frames that take well under a
        // millisecond to write, with keys read right after each.
        typeahead(-1)
        // Until the screen has once been left and resumed, ncurses (6.4) flushes its output
        // after every cursor move: some 25 write(2)s a frame, each waking the terminal.
        // Leaving and resuming before anything is drawn makes a frame one write.
        endwin()
        doupdate()
        colors = ColorScheme(wantsColor: wantsColor)
    }

    /// Restores the terminal.
    /// Rings the terminal bell (or flashes, as the terminal is set up to).
    func bell() {
        beep()
    }

    /// Makes the next update clear the terminal and write every cell again, whatever another
    /// program left on it.
    func repaintAll() {
        convtui_repaint_all()
    }

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
                shown = nil
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
        // Ctrl-A/E/U/W edit the input line; Ctrl-L repaints the screen.
        case 1: return .key(.control("a"))
        case 5: return .key(.control("e"))
        case 12: return .key(.control("l"))
        case 21: return .key(.control("u"))
        case 23: return .key(.control("w"))
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

    /// Copies a frame to the screen: only the cells that differ from what is shown, within the
    /// regions the view says may have changed, batched into one update.
    func draw(_ frame: ConsoleView.Frame) {
        let buffer = frame.buffer
        let whole = Rect(x: 0, y: 0, width: buffer.width, height: buffer.height)
        var screen: CellBuffer
        let regions: [Rect]
        if let known = shown, known.width == buffer.width, known.height == buffer.height {
            screen = known
            regions = frame.damage ?? [whole]
        } else {
            werase(window)
            screen = CellBuffer(width: buffer.width, height: buffer.height)
            regions = [whole]
        }
        // Released so that the copy below is the only reference and is changed in place.
        shown = nil
        var text: [wchar_t] = []
        text.reserveCapacity(buffer.width * 2)
        for region in regions {
            for (y, columns) in buffer.changedSpans(in: region, from: screen) {
                var x = columns.lowerBound
                while x < columns.upperBound {
                    let style = buffer[x, y].style
                    let runStart = x
                    text.removeAll(keepingCapacity: true)
                    while x < columns.upperBound, buffer[x, y].style == style {
                        let cell = buffer[x, y]
                        if !cell.isContinuation { append(cell.character, to: &text) }
                        x += 1
                    }
                    wattrset(window, colors.attributes(style))
                    mvwaddnwstr(window, Int32(y), Int32(runStart), text, Int32(text.count))
                }
                screen.copy(row: y, columns: columns, from: buffer)
            }
        }
        wattrset(window, 0)
        if let cursor = frame.cursor {
            if !cursorVisible {
                curs_set(1)
                leaveok(window, false)
            }
            cursorVisible = true
            wmove(window, Int32(cursor.y), Int32(cursor.x))
        } else if cursorVisible {
            curs_set(0)
            leaveok(window, true)
            cursorVisible = false
        }
        shown = screen
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
