/// One table of key bindings: ``ConsoleUpdate`` looks keys up in it and the help overlay
/// lists it, so the two cannot disagree. Each console has its own (``LiveAction`` and
/// ``ReplayAction`` define `live` and `replay`); both share the view keys below.
package struct Keymap<Action: ConsoleKeys>: Sendable {
    /// One line of help: the keys, how they are written, and what they do.
    package struct Binding: Sendable {
        package let keys: [Key]
        /// How help writes the keys (`1-9` instead of nine entries).
        package let label: String
        package let action: Action
        package let help: String

        package init(_ keys: [Key], _ action: Action, _ help: String, label: String? = nil) {
            self.keys = keys
            self.action = action
            self.help = help
            self.label = label ?? keys.map(\.label).joined(separator: " ")
        }
    }

    package let bindings: [Binding]
    /// Lines help shows after the bindings (the keys of this keymap's prompt).
    package let promptHelp: [KeyHelpLine]
    private let index: [Key: Action]

    package init(_ bindings: [Binding], promptHelp: [KeyHelpLine] = []) {
        self.bindings = bindings
        self.promptHelp = promptHelp
        var index: [Key: Action] = [:]
        for binding in bindings {
            for key in binding.keys where index[key] == nil { index[key] = binding.action }
        }
        self.index = index
    }

    package func action(for key: Key) -> Action? { index[key] }

    /// Everything the help overlay lists.
    package var helpLines: [KeyHelpLine] {
        bindings.map { KeyHelpLine($0.label, $0.help) } + promptHelp
    }

    /// Focus, zoom and paging keys, shared by live and replay consoles.
    package static var viewing: [Binding] {
        [
            Binding([.tab], .view(.focusNext), "focus the next pane"),
            Binding([.backTab], .view(.focusPrevious), "focus the previous pane"),
            Binding([.down, .character("j")], .view(.focusDown), "focus the pane below"),
            Binding([.up, .character("k")], .view(.focusUp), "focus the pane above"),
            Binding((1...9).map { .character(Character(String($0))) }, .view(.focusNumber), "focus pane 1 to 9", label: "1-9"),
            Binding([.enter, .character("z")], .view(.toggleZoom), "zoom the focused pane in or out (table: open the session)"),
            Binding([.escape], .view(.back), "unzoom, else clear the search or the table filter"),
            Binding([.character("t")], .view(.toggleTable), "switch between the grid and the session table"),
            Binding([.character(":")], .view(.goToPane), "go to a pane by number or name"),
        ]
    }

    /// Scrolling, inspector and help keys, shared by live and replay consoles.
    package static var inspecting: [Binding] {
        [
            Binding([.home], .view(.scrollToTop), "scroll to the oldest kept line"),
            Binding([.end], .view(.follow), "follow the newest lines again"),
            Binding([.character("e")], .view(.toggleInspector), "show or hide the event inspector"),
            Binding([.character("I")], .view(.focusInspector), "inspector takes the keys: scroll, Enter opens an event"),
            Binding([.character("f")], .view(.chooseInspectorTypes), "inspector: show or hide event types (a checklist)"),
            Binding([.character("F")], .view(.filterInspector), "inspector: filter by a regex over type and payload"),
            Binding([.character("p")], .view(.pauseInspector), "inspector: pause or follow again"),
            Binding([.character("/")], .view(.search), "search transcripts (regex); in the table: filter rows"),
            Binding([.character(">")], .view(.sortNext), "table: sort by the next column"),
            Binding([.character("<")], .view(.sortPrevious), "table: sort by the previous column"),
            Binding([.character("~")], .view(.reverseSort), "table: reverse the sort order"),
            Binding([.character("?")], .view(.toggleHelp), "show or hide this help"),
            Binding([.control("l")], .view(.repaint), "clear the terminal and draw everything again"),
        ]
    }

    /// Alert keys, shared by live and replay consoles.
    package static var alerting: [Binding] {
        [
            Binding([.character("n")], .view(.nextAlert), "next search match, else the next pane with an alert"),
            Binding([.character("N")], .view(.previousAlert), "previous search match, else the previous alerting pane"),
            Binding([.character("!")], .view(.toggleAlerts), "list the alerts firing, with times and reasons"),
        ]
    }

    /// Keys of a text prompt, for help (they edit the line rather than act through the table).
    package static var promptKeys: [KeyHelpLine] {
        [
            KeyHelpLine("Enter", "send the text"),
            KeyHelpLine("Esc", "cancel"),
            KeyHelpLine("← → Home End", "move the cursor (also Ctrl-A / Ctrl-E)"),
            KeyHelpLine("Backspace Del", "delete (Ctrl-U: to the start, Ctrl-W: a word)"),
            KeyHelpLine("↑ ↓", "recall texts sent before"),
        ]
    }
}

/// One line of the help overlay: how the keys are written and what they do.
package struct KeyHelpLine: Equatable, Sendable {
    package let label: String
    package let help: String

    package init(_ label: String, _ help: String) {
        self.label = label
        self.help = help
    }
}
