import ConvEngine

/// The console's pure update: a model and an input give the next model and the commands
/// for the sessions. No I/O happens here; the runtime carries out the commands. The same
/// update serves every console; `keymap` says which one (``LiveAction``, ``ReplayAction``).
package enum ConsoleUpdate {
    package static func update<Action: ConsoleKeys>(
        _ model: AppModel, _ input: ConsoleInput, context: ConsoleContext, keymap: Keymap<Action>
    ) -> (AppModel, [Action.Command]) {
        let (stepped, commands) = step(model, input, context: context, keymap: keymap)
        var next = stepped
        // Whatever moved the focus (a key, a prompt, a refusal, the driver), a talk into the
        // pane left behind ends.
        if let message = next.talk.focusMoved(to: next.focus) { next.notice = message }
        return (next, commands)
    }

    private static func step<Action: ConsoleKeys>(
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
        case .talk(let report):
            if let message = next.talk.apply(report) { next.notice = message }
            return (next, [])
        case .focus(let pane):
            if pane >= 0, pane < next.paneCount, pane != next.focus {
                next.focus = pane
                next.searchLine = nil
                next.inspector.bottom = nil
            }
            return (next, [])
        case .refused(let message):
            next.notice = TextSanitizer.sanitize(message)
            // A refused send opens its text again, unless the operator is busy with another.
            if let typed = next.lastTyped, case .text(let verb) = typed.prompt, next.mode == .normal,
                message.hasPrefix("\(verb.rawValue) \(typed.pane + 1) ")
            {
                next.focus = typed.pane
                next.mode = .prompt(typed.prompt, InputLine(typed.text))
                next.lastTyped = nil
            }
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
            case .help:
                // Arrows and page keys scroll help (it can be longer than a small screen).
                switch key {
                case .down, .character("j"): next.helpTop += 1
                case .up, .character("k"): next.helpTop = max(0, next.helpTop - 1)
                case .pageDown, .character(" "): next.helpTop += max(1, next.size.height - 4)
                case .pageUp: next.helpTop = max(0, next.helpTop - max(1, next.size.height - 4))
                default: next.mode = .normal
                }
                return (next, [])
            case .alerts:
                next.mode = .normal
                return (next, [])
            case .inspector:
                next.notice = nil
                InspectorKeys.inspecting(key, on: &next, context: context)
                return (next, [])
            case .eventTypes(let cursor, let fromInspector):
                InspectorKeys.choosingTypes(key, cursor: cursor, fromInspector: fromInspector, on: &next, context: context)
                return (next, [])
            case .eventDetail(let number, let top):
                InspectorKeys.readingEvent(key, number: number, top: top, on: &next)
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
                if key == .up || key == .down {
                    recall(key == .up, into: &line, on: &next)
                    next.mode = .prompt(prompt, line)
                    return (next, [])
                }
                switch edit(&line, key: key) {
                case .editing:
                    next.mode = .prompt(prompt, line)
                    return (next, Action.typing(at: prompt, on: next))
                case .cancelled:
                    next.mode = .normal
                    next.historyIndex = nil
                    next.notice = "cancelled"
                    return (next, [])
                case .submitted(let text):
                    next.mode = .normal
                    next.historyIndex = nil
                    if !text.isEmpty, next.history.last != text {
                        next.history = Array((next.history + [text]).suffix(Self.historyLimit))
                    }
                    switch prompt {
                    case .search: submitSearch(text, on: &next)
                    case .pane: goToPane(text, on: &next, context: context)
                    case .inspector:
                        next.inspector.pattern = TextPattern(text)
                        next.showsInspector = true
                    case .text, .time:
                        next.lastTyped = TypedText(prompt: prompt, pane: next.focus, text: text)
                        let commands = Action.submitted(text, at: prompt, on: &next)
                        return (next, commands)
                    }
                    return (next, [])
                }
            }
        }
    }

    private static func perform(_ action: ViewAction, key: Key, on next: inout AppModel, context: ConsoleContext) {
        let focus = next.focus
        defer {
            if next.focus != focus {
                next.searchLine = nil
                next.inspector.bottom = nil
            }
        }
        if next.showsTable, !next.isZoomed, SessionTableKeys.handles(action) {
            SessionTableKeys.perform(action, on: &next, context: context)
            return
        }
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
        case .chooseInspectorTypes:
            next.showsInspector = true
            next.mode = .eventTypes(cursor: 0, fromInspector: false)
        case .focusInspector:
            next.showsInspector = true
            next.mode = .inspector
        case .toggleHelp:
            next.mode = .help
            next.helpTop = 0
        case .toggleTable:
            next.showsTable.toggle()
            next.isZoomed = false
        case .sortNext, .sortPrevious, .reverseSort:
            next.notice = "the table sorts: t shows it"
        case .search: next.mode = .prompt(.search, InputLine(next.search?.source ?? ""))
        case .goToPane: next.mode = .prompt(.pane, InputLine())
        case .filterInspector: next.mode = .prompt(.inspector, InputLine(next.inspector.pattern?.source ?? ""))
        case .pauseInspector: InspectorKeys.togglePause(on: &next, context: context)
        case .back:
            if next.isZoomed {
                next.isZoomed = false
            } else if next.search != nil {
                next.search = nil
                next.notice = "search cleared"
            } else if next.table.filter != nil {
                next.table.filter = nil
                next.notice = "filter cleared"
            }
        case .toggleAlerts: next.mode = .alerts
        case .toggleListen:
            if let reason = context.listenUnavailable, !next.isListening {
                next.notice = "L: \(reason)"
            } else {
                next.isListening.toggle()
                next.notice = next.isListening ? "listening to pane \(next.focus + 1) (\(next.listenSource.label)) · L stops" : "listening stopped"
            }
        case .cycleListenSource:
            next.listenSource = next.listenSource.next
            next.notice = "hearing the \(next.listenSource.label)" + (next.isListening ? "" : " · L listens")
        case .toggleTalk:
            next.notice = next.talk.toggle(focus: next.focus, unavailable: context.talkUnavailable)
        case .repaint: next.repaints += 1
        case .nextAlert, .previousAlert:
            // n/N step through the search's matches while there is a search, else through
            // the panes with an alert.
            if next.search != nil {
                step(action == .nextAlert, on: &next, context: context)
                return
            }
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

    /// How many sent texts ↑ can recall.
    static let historyLimit = 50

    /// ↑ (older) or ↓ (newer) through the texts sent before; past the newest, an empty line.
    private static func recall(_ older: Bool, into line: inout InputLine, on model: inout AppModel) {
        let history = model.history
        guard !history.isEmpty else { return }
        let index: Int? =
            if older { max(0, (model.historyIndex ?? history.count) - 1) } else {
                model.historyIndex.flatMap { $0 + 1 < history.count ? $0 + 1 : nil }
            }
        model.historyIndex = index
        line = InputLine(index.map { history[$0] } ?? "")
    }

    /// The search typed at `/`: the table's filter while the table shows, else a transcript
    /// search. Empty text clears it.
    private static func submitSearch(_ text: String, on model: inout AppModel) {
        let pattern = TextPattern(text)
        if model.showsTable, !model.isZoomed {
            model.table.filter = pattern
            model.notice = pattern.map { "filter: \($0.source)" } ?? "filter cleared"
        } else {
            model.search = pattern
            model.searchLine = nil
            model.notice = pattern.map { "search: \($0.source) · n next  N previous  Esc clears" } ?? "search cleared"
        }
    }

    /// Focuses the pane typed at `:`: a number, else the first name that is the text, else
    /// the first that contains it (ignoring case).
    private static func goToPane(_ text: String, on model: inout AppModel, context: ConsoleContext) {
        let wanted = text.trimmingSpaces
        guard !wanted.isEmpty else { return }
        if let number = Int(wanted) {
            guard number >= 1, number <= model.paneCount else {
                model.notice = "no pane \(number) (1-\(model.paneCount))"
                return
            }
            model.focus = number - 1
        } else {
            let lower = wanted.lowercased()
            let names = context.paneNames.map { $0.lowercased() }
            guard let index = names.firstIndex(of: lower) ?? names.firstIndex(where: { $0.contains(lower) }) else {
                model.notice = "no session named \(TextSanitizer.sanitize(wanted))"
                return
            }
            model.focus = index
        }
        model.notice = "pane \(model.focus + 1)"
    }

    /// Scrolls the focused pane to its next (or previous) search match, wrapping around.
    private static func step(_ forward: Bool, on model: inout AppModel, context: ConsoleContext) {
        guard let search = model.search else { return }
        let matches = context.focusedMatches
        guard !matches.isEmpty else {
            model.notice = "no match for \(search.source) in pane \(model.focus + 1)"
            return
        }
        let viewport = max(1, context.focusedViewport)
        let bottomTop = max(0, context.focusedLines - viewport)
        let top = model.scrollTop[model.focus] ?? bottomTop
        // From the match last gone to, else from the edge of what is on screen.
        let from = model.searchLine ?? (forward ? top - 1 : top + viewport)
        let line =
            forward
            ? matches.first { $0 > from } ?? matches[0]
            : matches.last { $0 < from } ?? matches[matches.count - 1]
        model.searchLine = line
        let target = min(max(0, line - viewport / 3), bottomTop)
        model.scrollTop[model.focus] = target >= bottomTop ? nil : target
        let position = (matches.firstIndex(of: line) ?? 0) + 1
        model.notice = "match \(position)/\(matches.count) for \(search.source)"
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
        case .control("a"): line.moveToStart()
        case .control("e"): line.moveToEnd()
        case .control("u"): line.deleteToStart()
        case .control("w"): line.deleteWordBackward()
        case .backTab, .up, .down, .pageUp, .pageDown, .shiftLeft, .shiftRight, .control: break
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
}
