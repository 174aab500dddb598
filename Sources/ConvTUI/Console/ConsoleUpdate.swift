/// The console's pure update: a model and an input give the next model and the commands
/// for the sessions. No I/O happens here; the runtime carries out the commands.
enum ConsoleUpdate {
    static func update(
        _ model: AppModel, _ input: ConsoleInput, context: ConsoleContext, keymap: Keymap = .normal
    ) -> (AppModel, [ConsoleCommand]) {
        var next = model
        switch input {
        case .resize(let size):
            next.size = size
            return (next, [])
        case .key(let key):
            switch model.mode {
            case .normal:
                next.notice = nil
                guard let action = keymap.action(for: key) else { return (next, []) }
                return perform(action, key: key, on: next, context: context)
            case .help:
                next.mode = .normal
                return (next, [])
            case .confirm(let question):
                next.mode = .normal
                guard key == .character("y") || key == .character("Y") || key == .enter else {
                    next.notice = "cancelled"
                    return (next, [])
                }
                return confirmed(question, on: next)
            case .input(var line):
                switch edit(&line, key: key) {
                case .editing:
                    next.mode = .input(line)
                    return (next, [])
                case .cancelled:
                    next.mode = .normal
                    next.notice = "message cancelled"
                    return (next, [])
                case .submitted(let text):
                    next.mode = .normal
                    guard text.contains(where: { $0 != " " }) else { return (next, []) }
                    next.notice = "sent → pane \(model.focus + 1)"
                    next.scrollTop[model.focus] = nil
                    return (next, [.send(pane: model.focus, text: text)])
                }
            case .goToTime(var line):
                switch edit(&line, key: key) {
                case .editing:
                    next.mode = .goToTime(line)
                    return (next, [])
                case .cancelled:
                    next.mode = .normal
                    return (next, [])
                case .submitted(let text):
                    next.mode = .normal
                    guard let micros = Clock.parse(text) else {
                        next.notice = "not a time: \(text) (use mm:ss, h:mm:ss or seconds)"
                        return (next, [])
                    }
                    next.notice = "go to \(Clock.elapsed(microseconds: micros))"
                    return (next, [.replay(.goTo(micros: micros))])
                }
            }
        }
    }

    private static func perform(
        _ action: ConsoleAction, key: Key, on model: AppModel, context: ConsoleContext
    ) -> (AppModel, [ConsoleCommand]) {
        var next = model
        let focus = model.focus
        switch action {
        case .focusNext: next.focus = (focus + 1) % model.paneCount
        case .focusPrevious: next.focus = (focus + model.paneCount - 1) % model.paneCount
        case .focusLeft, .focusRight, .focusUp, .focusDown:
            next.focus = neighbour(of: model, action)
        case .focusNumber:
            if case .character(let c) = key, let digit = c.wholeNumberValue, digit >= 1, digit <= model.paneCount {
                next.focus = digit - 1
            }
        case .toggleZoom: next.isZoomed.toggle()
        case .start:
            next.notice = "start → pane \(focus + 1)"
            return (next, [.start(pane: focus)])
        case .stop:
            next.notice = "stop → pane \(focus + 1)"
            return (next, [.stop(pane: focus)])
        case .restart:
            next.notice = "restart → pane \(focus + 1)"
            return (next, [.restart(pane: focus)])
        case .startAll: next.mode = .confirm(.startAll)
        case .stopAll: next.mode = .confirm(.stopAll)
        case .compose: next.mode = .input(InputLine())
        case .scrollPageUp, .scrollPageDown, .scrollToTop, .follow:
            scroll(&next, action, context: context)
        case .toggleInspector: next.showsInspector.toggle()
        case .cycleInspectorFilter:
            next.showsInspector = true
            next.inspectorFilter = following(model.inspectorFilter, in: context.focusedEventTypes)
            next.notice = "inspector filter: " + (next.inspectorFilter ?? "all events")
        case .toggleHelp: next.mode = .help
        case .togglePlay: return (next, [.replay(.togglePlay)])
        case .faster: return (next, [.replay(.faster)])
        case .slower: return (next, [.replay(.slower)])
        case .seekBack: return (next, [.replay(.seek(seconds: -5))])
        case .seekForward: return (next, [.replay(.seek(seconds: 5))])
        case .seekBackLong: return (next, [.replay(.seek(seconds: -30))])
        case .seekForwardLong: return (next, [.replay(.seek(seconds: 30))])
        case .previousEvent: return (next, [.replay(.previousEvent(pane: focus))])
        case .nextEvent: return (next, [.replay(.nextEvent(pane: focus))])
        case .previousMark: return (next, [.replay(.previousMark)])
        case .nextMark: return (next, [.replay(.nextMark)])
        case .goToStart: return (next, [.replay(.toStart)])
        case .goToEnd: return (next, [.replay(.toEnd)])
        case .goToTime: next.mode = .goToTime(InputLine())
        case .quit:
            if context.activeSessions > 0 {
                next.mode = .confirm(.quit)
            } else {
                next.isRunning = false
            }
        }
        return (next, [])
    }

    private static func confirmed(_ question: ConsoleMode.Confirmation, on model: AppModel) -> (AppModel, [ConsoleCommand]) {
        var next = model
        switch question {
        case .startAll:
            next.notice = "start → all panes"
            return (next, [.startAll])
        case .stopAll:
            next.notice = "stop → all panes"
            return (next, [.stopAll])
        case .quit:
            next.isRunning = false
            return (next, [])
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
    private static func neighbour(of model: AppModel, _ direction: ConsoleAction) -> Int {
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

    private static func scroll(_ model: inout AppModel, _ action: ConsoleAction, context: ConsoleContext) {
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
