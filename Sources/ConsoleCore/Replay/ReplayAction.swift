/// What a key does in the replay console.
package enum ReplayAction: ConsoleKeys {
    case view(ViewAction)
    /// A command for the clock or every pane.
    case clock(ReplayCommand)
    /// Freeze or resume the focused pane.
    case freeze, resume
    /// Step through the focused pane's events.
    case previousEvent, nextEvent
    /// Type a time to go to.
    case goToTime

    package typealias Command = ReplayCommand

    package var viewAction: ViewAction? {
        if case .view(let action) = self { action } else { nil }
    }

    package func perform(on model: inout AppModel) -> [ReplayCommand] {
        let pane = model.focus
        switch self {
        case .view: return []
        case .clock(let command): return [command]
        case .freeze: return [.freeze(pane: pane)]
        case .resume: return [.resume(pane: pane)]
        case .previousEvent: return [.previousEvent(pane: pane)]
        case .nextEvent: return [.nextEvent(pane: pane)]
        case .goToTime:
            model.mode = .prompt(.time, InputLine())
            return []
        }
    }

    package static func submitted(_ text: String, at prompt: ConsoleMode.Prompt, on model: inout AppModel) -> [ReplayCommand] {
        guard prompt == .time else { return [] }
        guard let micros = TimeText.parse(text) else {
            model.notice = "not a time: \(text) (use mm:ss, h:mm:ss or seconds)"
            return []
        }
        model.notice = "go to \(TimeText.elapsed(microseconds: micros))"
        return [.goTo(micros: micros)]
    }

    /// A replay never asks before acting on every pane.
    package static func typing(at prompt: ConsoleMode.Prompt, on model: AppModel) -> [ReplayCommand] { [] }

    package static func confirmedAll(_ verb: LiveVerb, on model: inout AppModel) -> [ReplayCommand] { [] }
}

extension Keymap where Action == ReplayAction {
    /// Keys of the replay console: the clock takes the arrows and page keys.
    package static var replay: Keymap {
        Keymap(
            [
                Binding([.character(" ")], .clock(.togglePlay), "play or pause"),
                Binding([.character("+"), .character("=")], .clock(.faster), "faster (up to 64×)"),
                Binding([.character("-")], .clock(.slower), "slower (down to 0.25×)"),
                Binding([.left], .clock(.seek(seconds: -5)), "back 5 s"),
                Binding([.right], .clock(.seek(seconds: 5)), "forward 5 s"),
                Binding([.shiftLeft, .pageUp], .clock(.seek(seconds: -30)), "back 30 s"),
                Binding([.shiftRight, .pageDown], .clock(.seek(seconds: 30)), "forward 30 s"),
                Binding([.character("[")], .previousEvent, "previous event of the focused session"),
                Binding([.character("]")], .nextEvent, "next event of the focused session"),
                Binding([.character("{")], .clock(.previousMark), "previous interruption, error or alert (any session; focuses its pane)"),
                Binding([.character("}")], .clock(.nextMark), "next interruption, error or alert (any session; focuses its pane)"),
                Binding([.character("\"")], .clock(.previousOperatorMark), "previous operator mark (any session; focuses its pane)"),
                Binding([.character("'")], .clock(.nextOperatorMark), "next operator mark (any session; focuses its pane)"),
                Binding([.character("g")], .clock(.toStart), "go to the start"),
                Binding([.character("G")], .clock(.toEnd), "go to the end"),
                Binding([.character("a")], .goToTime, "go to a time (mm:ss)"),
                Binding([.character("h")], .view(.focusLeft), "focus the pane to the left"),
                Binding([.character("l")], .view(.focusRight), "focus the pane to the right"),
            ] + viewing + [
                Binding([.character("x")], .freeze, "freeze the focused pane"),
                Binding([.character("s"), .character("r")], .resume, "resume the focused pane on the clock"),
                Binding([.character("X")], .clock(.freezeAll), "freeze all panes"),
                Binding([.character("S")], .clock(.resumeAll), "resume all panes"),
                Binding([.character("L")], .view(.toggleListen), "listen to the focused pane's saved audio (again: stop)"),
                Binding([.character("H")], .view(.cycleListenSource), "hear the agent, the user or both when listening"),
            ] + inspecting + alerting + [
                Binding([.character("q")], .view(.quit), "quit"),
            ],
            promptHelp: [KeyHelpLine("", ""), KeyHelpLine("a, then", "type mm:ss, h:mm:ss or seconds; Enter goes there, Esc cancels")])
    }
}
