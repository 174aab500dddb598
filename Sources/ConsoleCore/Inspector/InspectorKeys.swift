/// What keys do while the inspector has them (``ConsoleMode/inspector``), in its event-type
/// list (``ConsoleMode/eventTypes(cursor:fromInspector:)``) and in one event's JSON
/// (``ConsoleMode/eventDetail(number:top:)``). Pure, like ``ConsoleUpdate``.
package enum InspectorKeys {
    /// The inspector's list: ↑↓ (j k) a row, PgUp PgDn a page, Home the oldest, End follows,
    /// Enter opens the selected event, `f` `F` `p` as in the grid, `e` hides it, Esc gives the
    /// keys back to the panes.
    package static func inspecting(_ key: Key, on model: inout AppModel, context: ConsoleContext) {
        let shown = context.inspectorEvents
        let page = max(1, (ConsoleLayout(model: model).inspector?.height ?? 3) - 3)
        // Where the selection is: the held bottom row, else the newest event shown.
        let current = model.inspector.bottom.flatMap { bottom in shown.lastIndex { $0 <= bottom } } ?? shown.count - 1
        switch key {
        case .up, .character("k"): hold(at: current - 1, of: shown, on: &model)
        case .down, .character("j"): hold(at: current + 1, of: shown, on: &model)
        case .pageUp: hold(at: current - page, of: shown, on: &model)
        case .pageDown: hold(at: current + page, of: shown, on: &model)
        case .home, .character("g"): hold(at: 0, of: shown, on: &model)
        case .end, .character("G"): model.inspector.bottom = nil
        case .enter:
            guard shown.indices.contains(current) else {
                model.notice = "no event to open"
                return
            }
            model.mode = .eventDetail(number: shown[current], top: 0)
        case .character("f"): model.mode = .eventTypes(cursor: 0, fromInspector: true)
        case .character("F"): model.mode = .prompt(.inspector, InputLine(model.inspector.pattern?.source ?? ""))
        case .character("p"): togglePause(on: &model, context: context)
        case .character("e"):
            model.showsInspector = false
            model.mode = .normal
        case .escape, .character("q"): model.mode = .normal
        default: model.notice = "inspector: ↑↓ scroll  Enter open  f types  Esc back"
        }
    }

    /// Pauses the inspector on its newest event shown, or lets it follow again.
    package static func togglePause(on model: inout AppModel, context: ConsoleContext) {
        model.showsInspector = true
        model.inspector.bottom = model.inspector.bottom == nil ? (context.inspectorEvents.last ?? 0) : nil
        model.notice = model.inspector.bottom == nil ? "inspector follows" : "inspector paused · p or End follows"
    }

    /// Holds the list with the event at `index` of `shown` on the bottom row; past the newest,
    /// it follows again.
    private static func hold(at index: Int, of shown: [Int], on model: inout AppModel) {
        guard !shown.isEmpty else { return }
        model.inspector.bottom = index >= shown.count - 1 ? nil : shown[max(0, index)]
    }

    /// The event-type list: ↑↓ (j k) move, Space or x shows or hides the type, `o` shows only
    /// it, `a` shows every type, Enter or Esc closes.
    package static func choosingTypes(_ key: Key, cursor: Int, fromInspector: Bool, on model: inout AppModel, context: ConsoleContext) {
        let types = context.focusedEventTypes
        var cursor = min(cursor, max(0, types.count - 1))
        switch key {
        case .up, .character("k"): cursor = max(0, cursor - 1)
        case .down, .character("j"): cursor = min(max(0, types.count - 1), cursor + 1)
        case .character(" "), .character("x"):
            guard types.indices.contains(cursor) else { break }
            let type = types[cursor]
            if model.inspector.hidden.remove(type) == nil { model.inspector.hidden.insert(type) }
        case .character("o"):
            guard types.indices.contains(cursor) else { break }
            model.inspector.hidden = Set(types).subtracting([types[cursor]])
        case .character("a"): model.inspector.hidden = []
        case .enter, .escape, .character("f"), .character("q"):
            model.mode = fromInspector ? .inspector : .normal
            let hidden = model.inspector.hidden.count
            model.notice = hidden == 0 ? "inspector: every event type" : "inspector: \(hidden) event type\(hidden == 1 ? "" : "s") hidden"
            return
        default: break
        }
        model.mode = .eventTypes(cursor: cursor, fromInspector: fromInspector)
    }

    /// One event's JSON: ↑↓ (j k) a line, PgUp PgDn or Space a page, Home the top; Esc, Enter
    /// or q closes it.
    package static func readingEvent(_ key: Key, number: Int, top: Int, on model: inout AppModel) {
        let page = max(1, model.size.height - 4)
        var top = top
        switch key {
        case .up, .character("k"): top = max(0, top - 1)
        case .down, .character("j"): top += 1
        case .pageUp: top = max(0, top - page)
        case .pageDown, .character(" "): top += page
        case .home, .character("g"): top = 0
        case .escape, .enter, .character("q"):
            model.mode = .inspector
            return
        default: break
        }
        model.mode = .eventDetail(number: number, top: top)
    }
}
