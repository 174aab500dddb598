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
    /// Lines help shows after the bindings (the keys of this keymap's prompt).
    let promptHelp: [(label: String, help: String)]
    private let index: [Key: ConsoleAction]

    init(_ bindings: [Binding], promptHelp: [(label: String, help: String)] = []) {
        self.bindings = bindings
        self.promptHelp = promptHelp
        var index: [Key: ConsoleAction] = [:]
        for binding in bindings {
            for key in binding.keys where index[key] == nil { index[key] = binding.action }
        }
        self.index = index
    }

    func action(for key: Key) -> ConsoleAction? { index[key] }

    /// Focus, zoom, inspector and help keys, shared by live and replay consoles.
    private static let viewing: [Binding] = [
        Binding([.tab], .focusNext, "focus the next pane"),
        Binding([.backTab], .focusPrevious, "focus the previous pane"),
        Binding([.down, .character("j")], .focusDown, "focus the pane below"),
        Binding([.up, .character("k")], .focusUp, "focus the pane above"),
        Binding((1...9).map { .character(Character(String($0))) }, .focusNumber, "focus pane 1 to 9", label: "1-9"),
        Binding([.enter, .character("z")], .toggleZoom, "zoom the focused pane in or out"),
    ]

    private static let inspecting: [Binding] = [
        Binding([.home], .scrollToTop, "scroll to the oldest kept line"),
        Binding([.end], .follow, "follow the newest lines again"),
        Binding([.character("e")], .toggleInspector, "show or hide the event inspector"),
        Binding([.character("f")], .cycleInspectorFilter, "inspector: cycle the event-type filter"),
        Binding([.character("?")], .toggleHelp, "show or hide this help"),
    ]

    /// Keys of the live console (`demo`, `run`).
    static let normal = Keymap(
        [
            Binding([.left, .character("h")], .focusLeft, "focus the pane to the left"),
            Binding([.right, .character("l")], .focusRight, "focus the pane to the right"),
        ] + viewing + [
            Binding([.character("s")], .start, "start the focused session"),
            Binding([.character("x")], .stop, "stop the focused session"),
            Binding([.character("r")], .restart, "restart the focused session"),
            Binding([.character("S")], .startAll, "start all sessions (asks first)"),
            Binding([.character("X")], .stopAll, "stop all sessions (asks first)"),
            Binding([.character("i")], .compose, "type a message to the focused session"),
            Binding([.pageUp], .scrollPageUp, "scroll the transcript back"),
            Binding([.pageDown], .scrollPageDown, "scroll the transcript forward"),
        ] + inspecting + [
            Binding([.character("q")], .quit, "quit (asks while sessions run)"),
        ],
        promptHelp: [("", ""), ("i, then", "type a message:")] + inputHelp)

    /// Keys of the replay console: the clock takes the arrows and page keys.
    static let replay = Keymap(
        [
            Binding([.character(" ")], .togglePlay, "play or pause"),
            Binding([.character("+"), .character("=")], .faster, "faster (up to 64×)"),
            Binding([.character("-")], .slower, "slower (down to 0.25×)"),
            Binding([.left], .seekBack, "back 5 s"),
            Binding([.right], .seekForward, "forward 5 s"),
            Binding([.shiftLeft, .pageUp], .seekBackLong, "back 30 s"),
            Binding([.shiftRight, .pageDown], .seekForwardLong, "forward 30 s"),
            Binding([.character("[")], .previousEvent, "previous event of the focused session"),
            Binding([.character("]")], .nextEvent, "next event of the focused session"),
            Binding([.character("{")], .previousMark, "previous interruption or error (any session)"),
            Binding([.character("}")], .nextMark, "next interruption or error (any session)"),
            Binding([.character("g")], .goToStart, "go to the start"),
            Binding([.character("G")], .goToEnd, "go to the end"),
            Binding([.character("a")], .goToTime, "go to a time (mm:ss)"),
            Binding([.character("h")], .focusLeft, "focus the pane to the left"),
            Binding([.character("l")], .focusRight, "focus the pane to the right"),
        ] + viewing + [
            Binding([.character("x")], .stop, "freeze the focused pane"),
            Binding([.character("s"), .character("r")], .start, "resume the focused pane on the clock"),
            Binding([.character("X")], .stopAll, "freeze all panes"),
            Binding([.character("S")], .startAll, "resume all panes"),
        ] + inspecting + [
            Binding([.character("q")], .quit, "quit"),
        ],
        promptHelp: [("", ""), ("a, then", "type mm:ss, h:mm:ss or seconds; Enter goes there, Esc cancels")])

    /// Keys of input mode, for help (they edit the line rather than act through the table).
    static let inputHelp: [(label: String, help: String)] = [
        ("Enter", "send the message"),
        ("Esc", "cancel"),
        ("← → Home End", "move the cursor"),
        ("Backspace Del", "delete"),
    ]
}
