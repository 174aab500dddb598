/// The one table of key bindings: ``ConsoleUpdate`` looks keys up in it and the help
/// overlay lists it, so the two cannot disagree. A new mode brings its own table.
struct Keymap: Sendable {
    /// One line of help: the keys, how they are written, and what they do.
    struct Binding: Sendable {
        let keys: [Key]
        /// How help writes the keys (`1-9` instead of nine entries).
        let label: String
        let action: ConsoleAction
        let help: String

        init(_ keys: [Key], _ action: ConsoleAction, _ help: String, label: String? = nil) {
            self.keys = keys
            self.action = action
            self.help = help
            self.label = label ?? keys.map(\.label).joined(separator: " ")
        }
    }

    let bindings: [Binding]
    private let index: [Key: ConsoleAction]

    init(_ bindings: [Binding]) {
        self.bindings = bindings
        var index: [Key: ConsoleAction] = [:]
        for binding in bindings {
            for key in binding.keys where index[key] == nil { index[key] = binding.action }
        }
        self.index = index
    }

    func action(for key: Key) -> ConsoleAction? { index[key] }

    /// Keys of normal mode.
    static let normal = Keymap([
        Binding([.tab], .focusNext, "focus the next pane"),
        Binding([.backTab], .focusPrevious, "focus the previous pane"),
        Binding([.left, .character("h")], .focusLeft, "focus the pane to the left"),
        Binding([.down, .character("j")], .focusDown, "focus the pane below"),
        Binding([.up, .character("k")], .focusUp, "focus the pane above"),
        Binding([.right, .character("l")], .focusRight, "focus the pane to the right"),
        Binding((1...9).map { .character(Character(String($0))) }, .focusNumber, "focus pane 1 to 9", label: "1-9"),
        Binding([.enter, .character("z")], .toggleZoom, "zoom the focused pane in or out"),
        Binding([.character("s")], .start, "start the focused session"),
        Binding([.character("x")], .stop, "stop the focused session"),
        Binding([.character("r")], .restart, "restart the focused session"),
        Binding([.character("S")], .startAll, "start all sessions (asks first)"),
        Binding([.character("X")], .stopAll, "stop all sessions (asks first)"),
        Binding([.character("i")], .compose, "type a message to the focused session"),
        Binding([.pageUp], .scrollPageUp, "scroll the transcript back"),
        Binding([.pageDown], .scrollPageDown, "scroll the transcript forward"),
        Binding([.home], .scrollToTop, "scroll to the oldest kept line"),
        Binding([.end], .follow, "follow the newest lines again"),
        Binding([.character("e")], .toggleInspector, "show or hide the event inspector"),
        Binding([.character("f")], .cycleInspectorFilter, "inspector: cycle the event-type filter"),
        Binding([.character("?")], .toggleHelp, "show or hide this help"),
        Binding([.character("q")], .quit, "quit (asks while sessions run)"),
    ])

    /// Keys of input mode, for help (they edit the line rather than act through the table).
    static let inputHelp: [(label: String, help: String)] = [
        ("Enter", "send the message"),
        ("Esc", "cancel"),
        ("← → Home End", "move the cursor"),
        ("Backspace Del", "delete"),
    ]
}
