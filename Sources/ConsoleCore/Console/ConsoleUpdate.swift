import ConvEngine

/// The console's pure update: a model and an input give the next model and the commands
/// for the sessions. No I/O happens here; the runtime carries out the commands. The same
/// update serves every console; `keymap` says which one (``LiveAction``, ``ReplayAction``).
package enum ConsoleUpdate {
    package static func update<Action: ConsoleKeys>(
        _ model: AppModel, _ input: ConsoleInput, context: ConsoleContext, keymap: Keymap<Action>
    ) -> (AppModel, [Action.Command]) {
        var next = model
        switch input {
        case .resize(let size):
            next.size = size
            return (next, [])
        case .report(let message):
            next.notice = message.map(TextSanitizer.sanitize)
            return (next, [])
        case .key(let key):
            switch model.mode {
            case .normal:
                next.notice = nil
                guard let action = keymap.action(for: key) else { return (next, []) }
                guard let view = action.viewAction else {
                    let commands = action.perform(on: &next)
                    return (next, commands)
                }
                perform(view, key: key, on: &next, context: context)
                return (next, [])
            case .help, .alerts:
                next.mode = .normal
                return (next, [])
            case .confirm(let question):
                next.mode = .normal
                guard key == .character("y") || key == .character("Y") || key == .enter else {
                    next.notice = "cancelled"
                    return (next, [])
                }
                switch question {
                case .quit:
                    next.isRunning = false
                    return (next, [])
                case .all(let verb):
                    let commands = Action.confirmedAll(verb, on: &next)
                    return (next, commands)
                }
            case .prompt(let prompt, var line):
                switch edit(&line, key: key) {
                case .editing:
                    next.mode = .prompt(prompt, line)
                    return (next, Action.typing(at: prompt, on: next))
                case .cancelled:
                    next.mode = .normal
                    next.notice = "cancelled"
                    return (next, [])
                case .submitted(let text):
                    next.mode = .normal
                    let commands = Action.submitted(text, at: prompt, on: &next)
                    return (next, commands)
                }
            }
        }
    }

    private static func perform(_ action: ViewAction, key: Key, on next: inout AppModel, context: ConsoleContext) {
        let focus = next.focus
        switch action {
        case .focusNext: next.focus = (focus + 1) % next.paneCount
        case .focusPrevious: next.focus = (focus + next.paneCount - 1) % next.paneCount
        case .focusLeft, .focusRight, .focusUp, .focusDown:
            next.focus = neighbour(of: next, action)
        case .focusNumber:
            if case .character(let c) = key, let digit = c.wholeNumberValue, digit >= 1, digit <= next.paneCount {
                next.focus = digit - 1
            }
        case .toggleZoom: next.isZoomed.toggle()
        case .scrollPageUp, .scrollPageDown, .scrollToTop, .follow:
            scroll(&next, action, context: context)
        case .toggleInspector: next.showsInspector.toggle()
        case .cycleInspectorFilter:
            next.showsInspector = true
            next.inspectorFilter = following(next.inspectorFilter, in: context.focusedEventTypes)
            next.notice = "inspector filter: " + (next.inspectorFilter ?? "all events")
        case .toggleHelp: next.mode = .help
        case .toggleAlerts: next.mode = .alerts
        case .nextAlert, .previousAlert:
            let panes = context.alertingPanes
            guard !panes.isEmpty else {
                next.notice = "no pane has an alert"
                return
            }
            let target =
                action == .nextAlert
                ? panes.first { $0 > focus } ?? panes[0]
                : panes.last { $0 < focus } ?? panes[panes.count - 1]
            next.focus = target
            next.notice = "alert \((panes.firstIndex(of: target) ?? 0) + 1)/\(panes.count) → pane \(target + 1)"
        case .quit:
            if context.activeSessions > 0 {
                next.mode = .confirm(.quit)
            } else {
                next.isRunning = false
            }
        }
    }

    /// What a key did to a line being typed.
    private enum LineEdit {
        case editing, cancelled
        case submitted(String)
    }

    private static func edit(_ line: inout InputLine, key: Key) -> LineEdit {
        switch key {
        case .escape: return .cancelled
        case .enter: return .submitted(line.text)
        case .character(let c): line.insert(c)
        case .backspace: line.deleteBackward()
        case .delete: line.deleteForward()
        case .left: line.moveLeft()
        case .right: line.moveRight()
        case .home: line.moveToStart()
        case .end: line.moveToEnd()
        case .tab: line.insert(" ")
        case .backTab, .up, .down, .pageUp, .pageDown, .shiftLeft, .shiftRight: break
        }
        return .editing
    }

    /// The pane next to the focused one in the grid, or the focused one at an edge.
    private static func neighbour(of model: AppModel, _ direction: ViewAction) -> Int {
        let layout = ConsoleLayout(model: model)
        let count = model.paneCount
        let focus = model.focus
        let columns = max(1, layout.columns)
        let perPage = max(1, layout.panesPerPage)
        let slot = focus % perPage
        let row = slot / columns
        switch direction {
        case .focusLeft:
            return slot % columns > 0 ? focus - 1 : focus
        case .focusRight:
            return slot % columns < columns - 1 && focus + 1 < count ? focus + 1 : focus
        case .focusUp:
            return focus - columns >= 0 ? focus - columns : focus
        case .focusDown:
            if focus + columns < count { return focus + columns }
            // Down onto a shorter last row lands on its last pane.
            let lastRow = ((count - 1) % perPage) / columns
            return (count - 1) / perPage == focus / perPage && lastRow > row ? count - 1 : focus
        default:
            return focus
        }
    }

    private static func scroll(_ model: inout AppModel, _ action: ViewAction, context: ConsoleContext) {
        let pane = model.focus
        let viewport = max(1, context.focusedViewport)
        let bottomTop = max(0, context.focusedLines - viewport)
        guard bottomTop > 0 else {
            model.scrollTop[pane] = nil
            return
        }
        let top = model.scrollTop[pane] ?? bottomTop
        let step = max(1, viewport - 1)
        let target: Int?
        switch action {
        case .scrollPageUp: target = max(0, top - step)
        case .scrollPageDown: target = top + step >= bottomTop ? nil : top + step
        case .scrollToTop: target = 0
        default: target = nil
        }
        model.scrollTop[pane] = target
    }

    /// The filter after `current`: all events, then each type in turn.
    private static func following(_ current: String?, in types: [String]) -> String? {
        guard let current, let index = types.firstIndex(of: current) else { return types.first }
        return index + 1 < types.count ? types[index + 1] : nil
    }
}
