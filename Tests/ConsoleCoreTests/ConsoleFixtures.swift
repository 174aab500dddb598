import ConvEngine

@testable import ConsoleCore

/// Snapshots and frames built through the engine's own reducer, for view tests.
enum ConsoleFixtures {
    /// A snapshot after `kinds` (a run is started and connected first unless `live` is false).
    static func snapshot(
        number: Int, name: String = "ava", live: Bool = true, _ kinds: [SessionEvent.Kind] = []
    ) -> SessionSnapshot {
        var state = SessionState(backend: "sim")
        var offset: Int64 = 0
        var all: [SessionEvent.Kind] = live ? [.runStarted(backend: "sim"), .connected(conversationId: "conv_\(number)abcdef")] : []
        all += kinds
        for kind in all {
            offset += 250_000
            state.apply(SessionEvent(offset: offset, run: 1, kind: kind))
        }
        return SessionSnapshot(number: number, name: name, state: state, logPath: nil)
    }

    /// Feeds keys to `model` one after another through `keymap`; the final model and every command.
    static func press<Action: ConsoleKeys>(_ keys: [Key], on model: AppModel, keymap: Keymap<Action>) -> (AppModel, [Action.Command]) {
        var current = model
        var commands: [Action.Command] = []
        for key in keys {
            let (next, issued) = ConsoleUpdate.update(current, .key(key), context: ConsoleContext(), keymap: keymap)
            current = next
            commands += issued
        }
        return (current, commands)
    }

    static func frames(_ count: Int, kinds: [SessionEvent.Kind] = []) -> [PaneFrame] {
        (1...count).map { PaneFrame(snapshot: snapshot(number: $0, name: "s\($0)", kinds), version: 2, now: 10_000_000) }
    }

    /// The screen for `model` over `panes`, as lines of text.
    static func render(_ model: AppModel, _ panes: [PaneFrame]) -> ConsoleView.Frame {
        var memo = ConsoleView.Memo()
        return ConsoleView.render(model, panes: panes, chrome: .init(label: "rec /tmp/logs", clock: "12:00:00"), memo: &memo)
    }

    static func model(panes: Int, width: Int, height: Int) -> AppModel {
        AppModel(paneCount: panes, size: ScreenSize(width: width, height: height))
    }
}
