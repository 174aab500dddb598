/// What a key does in the live console (`demo`, `run`).
package enum LiveAction: ConsoleKeys {
    case view(ViewAction)
    /// A verb for the focused session.
    case focused(LiveVerb)
    /// A verb for the focused session, with text typed at a prompt first (`send`).
    case prompted(LiveVerb)
    /// A verb for every session, after a yes.
    case all(LiveVerb)

    package typealias Command = LiveCommand

    package var viewAction: ViewAction? {
        if case .view(let action) = self { action } else { nil }
    }

    package func perform(on model: inout AppModel) -> [LiveCommand] {
        switch self {
        case .view:
            return []
        case .focused(let verb):
            model.notice = "\(verb.rawValue) → pane \(model.focus + 1)"
            return [LiveCommand(verb, .session(model.focus))]
        case .prompted(let verb):
            model.mode = .prompt(.text(verb), InputLine())
            return []
        case .all(let verb):
            model.mode = .confirm(.all(verb))
            return []
        }
    }

    package static func submitted(_ text: String, at prompt: ConsoleMode.Prompt, on model: inout AppModel) -> [LiveCommand] {
        // A mark needs no note: Enter on an empty line marks the moment.
        guard case .text(let verb) = prompt, verb == .mark || text.contains(where: { $0 != " " }) else { return [] }
        model.notice = "\(verb.rawValue) → pane \(model.focus + 1)"
        model.scrollTop[model.focus] = nil
        return [LiveCommand(verb, .session(model.focus), text: text)]
    }

    /// Typing a message tells the agent the user is active (the dispatcher throttles it);
    /// a contextual update or a tool result is not the user speaking.
    package static func typing(at prompt: ConsoleMode.Prompt, on model: AppModel) -> [LiveCommand] {
        prompt == .text(.send) ? [LiveCommand(.activity, .session(model.focus))] : []
    }

    package static func confirmedAll(_ verb: LiveVerb, on model: inout AppModel) -> [LiveCommand] {
        model.notice = "\(verb.rawValue) → all panes"
        return [LiveCommand(verb, .all)]
    }
}

extension Keymap where Action == LiveAction {
    /// Keys of the live console.
    package static var live: Keymap {
        Keymap(
            [
                Binding([.left, .character("h")], .view(.focusLeft), "focus the pane to the left"),
                Binding([.right, .character("l")], .view(.focusRight), "focus the pane to the right"),
            ] + viewing + [
                Binding([.character("g")], .view(.goToPane), "go to a pane by number or name"),
                Binding([.character("s")], .focused(.start), "start the focused session"),
                Binding([.character("x")], .focused(.stop), "stop the focused session"),
                Binding([.character("r")], .focused(.restart), "restart the focused session"),
                Binding([.character("S")], .all(.start), "start all sessions (asks first)"),
                Binding([.character("X")], .all(.stop), "stop all sessions (asks first)"),
                Binding([.character("i")], .prompted(.send), "type a message to the focused session"),
                Binding([.character("c")], .prompted(.context), "type a contextual update (no answer expected)"),
                Binding([.character("o")], .prompted(.tool), "answer the oldest pending tool call"),
                Binding([.character("a")], .focused(.approve), "approve the oldest pending MCP tool call"),
                Binding([.character("d")], .focused(.deny), "deny the oldest pending MCP tool call"),
                Binding([.character("+")], .focused(.like), "like the latest agent response"),
                Binding([.character("-")], .focused(.dislike), "dislike the latest agent response"),
                Binding([.character("m")], .prompted(.mark), "mark this moment, with an optional note (Enter alone: none)"),
                Binding([.character("E")], .focused(.end), "end the focused conversation"),
                Binding([.character("L")], .view(.toggleListen), "listen to the focused pane's audio (again: stop)"),
                Binding([.character("H")], .view(.cycleListenSource), "hear the agent, the user or both when listening"),
                Binding([.character("T")], .view(.toggleTalk), "push-to-talk into the focused session (again: stop)"),
                Binding([.pageUp], .view(.scrollPageUp), "scroll the transcript back"),
                Binding([.pageDown], .view(.scrollPageDown), "scroll the transcript forward"),
            ] + inspecting + alerting + [
                Binding([.character("q")], .view(.quit), "quit (asks while sessions run)"),
            ],
            promptHelp: [KeyHelpLine("", ""), KeyHelpLine("i c o m, then", "type the text:")] + promptKeys)
    }
}
