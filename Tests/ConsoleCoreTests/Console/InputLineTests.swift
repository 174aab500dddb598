import ConvEngine
import Testing

@testable import ConsoleCore

@Suite struct InputLineTests {
    private func press(_ model: AppModel, _ keys: [Key]) -> (AppModel, [LiveCommand]) {
        ConsoleFixtures.press(keys, on: model, keymap: Keymap<LiveAction>.live)
    }

    private func typed(_ text: String) -> [Key] { text.map { .character($0) } }

    private var model: AppModel { ConsoleFixtures.model(panes: 3, width: 80, height: 24) }

    @Test func controlKeysMoveAndDelete() {
        var line = InputLine("ship to 上海 today")
        line.deleteWordBackward()
        #expect(line.text == "ship to 上海 ")
        line.deleteWordBackward()
        #expect(line.text == "ship to ")
        line.moveLeft()
        line.moveLeft()
        line.deleteToStart()
        #expect(line.text == "o ")
        let (typing, _) = press(model, [.character("i")] + typed("world") + [.control("a")] + typed("hello ") + [.control("e")] + typed("!"))
        #expect(typing.mode == .prompt(.text(.send), InputLine("hello world!")))
        let (cleared, _) = press(typing, [.control("u")])
        #expect(cleared.mode == .prompt(.text(.send), InputLine("")))
    }

    @Test func upRecallsTextsSentBefore() {
        let (sent, _) = press(model, [.character("i")] + typed("first") + [.enter, .character("i")] + typed("second") + [.enter])
        let (recalled, _) = press(sent, [.character("i"), .up])
        #expect(recalled.mode == .prompt(.text(.send), InputLine("second")))
        let (older, _) = press(recalled, [.up, .up])
        #expect(older.mode == .prompt(.text(.send), InputLine("first")), "stops at the oldest")
        let (newer, _) = press(older, [.down, .down])
        #expect(newer.mode == .prompt(.text(.send), InputLine("")), "past the newest: an empty line")
        let (again, commands) = press(older, [.enter])
        #expect(commands.last == LiveCommand(.send, .session(0), text: "first"))
        #expect(again.history == ["first", "second", "first"])
    }

    @Test func aRefusedSendOpensItsTextAgain() {
        let (sent, _) = press(model, [.character("2"), .character("i")] + typed("are you there") + [.enter])
        #expect(sent.mode == .normal)
        var moved = sent
        moved.focus = 0
        let refused = ConsoleUpdate.update(moved, .refused("send 2 lina: not live"), context: ConsoleContext(), keymap: Keymap<LiveAction>.live).0
        #expect(refused.mode == .prompt(.text(.send), InputLine("are you there")))
        #expect(refused.focus == 1)
        #expect(refused.notice == "send 2 lina: not live")
        // Another command's refusal leaves the text alone.
        let other = ConsoleUpdate.update(sent, .refused("start 2 lina: already running"), context: ConsoleContext(), keymap: Keymap<LiveAction>.live).0
        #expect(other.mode == .normal)
    }

    @Test func hintsFollowTheMode() {
        var m = model
        #expect(StatusBar.hints(m, replay: false) == "? help  q quit")
        #expect(StatusBar.hints(m, replay: true).hasPrefix("Space play"))
        m.isZoomed = true
        #expect(StatusBar.hints(m, replay: false).hasPrefix("Esc back"))
        m.mode = .prompt(.search, InputLine())
        #expect(StatusBar.hints(m, replay: false) == "Enter done  Esc cancel")
        m.mode = .normal
        m.isZoomed = false
        m.showsTable = true
        #expect(StatusBar.hints(m, replay: false).hasPrefix("Enter open"))
        var zoomed = ConsoleFixtures.model(panes: 2, width: 80, height: 10)
        zoomed.isZoomed = true
        let status = ConsoleFixtures.render(zoomed, ConsoleFixtures.frames(2)).buffer.lines.last!
        #expect(status.hasPrefix("  ZOOM "))
        #expect(status.hasSuffix(" Esc back  / search  ? help "))
    }
}
