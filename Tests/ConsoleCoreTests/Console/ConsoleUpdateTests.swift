import Testing

@testable import ConsoleCore

@Suite struct ConsoleUpdateTests {
    private var model = ConsoleFixtures.model(panes: 4, width: 120, height: 40)

    /// Feeds keys one after another; returns the final model and every command.
    private func press(_ keys: [Key], from start: AppModel? = nil, context: ConsoleContext = ConsoleContext()) -> (AppModel, [LiveCommand]) {
        var current = start ?? model
        var commands: [LiveCommand] = []
        for key in keys {
            let (next, issued) = ConsoleUpdate.update(current, .key(key), context: context, keymap: .live)
            current = next
            commands += issued
        }
        return (current, commands)
    }

    /// No sound device: `L` says why in the status bar and nothing else changes.
    @Test func listeningWithoutASoundDeviceOnlySaysWhy() {
        let context = ConsoleContext(listenUnavailable: "no sound server (Connection refused)")
        let (next, commands) = press([.character("L")], context: context)
        #expect(next.notice == "L: no sound server (Connection refused)")
        #expect(commands.isEmpty)
        var unchanged = next
        unchanged.notice = model.notice
        #expect(unchanged == model)
    }

    @Test func lTogglesListeningToTheFocusedPane() {
        let (on, commands) = press([.character("2"), .character("L")])
        #expect(on.isListening)
        #expect(on.notice == "listening to pane 2 (agent) · L stops")
        #expect(commands.isEmpty)
        let off = press([.character("L")], from: on).0
        #expect(!off.isListening)
        #expect(off.notice == "listening stopped")
    }

    /// `H` chooses whose audio listening plays: agent, user, both, then the agent again; the
    /// choice stays across `L` and is named in the notices.
    @Test func hCyclesWhoseAudioIsHeard() {
        #expect(model.listenSource == .agent)
        let user = press([.character("H")])
        #expect(user.0.listenSource == .user)
        #expect(user.0.notice == "hearing the user · L listens")
        #expect(user.1.isEmpty)
        let both = press([.character("H")], from: user.0).0
        #expect(both.listenSource == .both)
        let listening = press([.character("L")], from: both).0
        #expect(listening.isListening && listening.listenSource == .both)
        #expect(listening.notice == "listening to pane 1 (agent+user) · L stops")
        let agent = press([.character("H")], from: listening).0
        #expect(agent.listenSource == .agent && agent.isListening)
        #expect(agent.notice == "hearing the agent")
    }

    @Test func tabCyclesAndShiftTabGoesBack() {
        #expect(press([.tab, .tab]).0.focus == 2)
        #expect(press([.backTab]).0.focus == 3)
        #expect(press([.tab, .tab, .tab, .tab]).0.focus == 0)
    }

    @Test func arrowsAndHjklMoveInTheGrid() {
        // 2 × 2 grid: 0 1 / 2 3
        #expect(press([.right]).0.focus == 1)
        #expect(press([.character("l"), .character("j")]).0.focus == 3)
        #expect(press([.down, .character("k")]).0.focus == 0)
        #expect(press([.left]).0.focus == 0)
        #expect(press([.character("j"), .character("j")]).0.focus == 2)
    }

    @Test func downOntoAShorterLastRowLandsOnItsLastPane() {
        // 7 panes: 4 columns, then 3 panes below.
        let seven = ConsoleFixtures.model(panes: 7, width: 120, height: 40)
        #expect(press([.character("4"), .down], from: seven).0.focus == 6)
    }

    @Test func digitsJumpOnlyToExistingPanes() {
        #expect(press([.character("3")]).0.focus == 2)
        #expect(press([.character("9")]).0.focus == 0)
    }

    @Test func controlKeysActOnTheFocusedPaneOnly() {
        let (_, commands) = press([.character("2"), .character("x"), .character("s"), .character("r")])
        #expect(commands == [LiveCommand(.stop, .session(1)), LiveCommand(.start, .session(1)), LiveCommand(.restart, .session(1))])
    }

    @Test func startAllAndStopAllAskFirst() {
        let (asking, none) = press([.character("X")])
        #expect(none.isEmpty)
        #expect(asking.mode == .confirm(.all(.stop)))
        #expect(press([.character("y")], from: asking).1 == [LiveCommand(.stop, .all)])
        #expect(press([.character("n")], from: asking).1.isEmpty)
        #expect(press([.character("S"), .enter]).1 == [LiveCommand(.start, .all)])
    }

    @Test func quitAsksWhileSessionsRun() {
        let running = ConsoleContext(activeSessions: 2)
        let (asking, _) = press([.character("q")], context: running)
        #expect(asking.isRunning && asking.mode == .confirm(.quit))
        #expect(!press([.character("y")], from: asking, context: running).0.isRunning)
        #expect(press([.escape], from: asking, context: running).0.isRunning)
        #expect(!press([.character("q")]).0.isRunning)
    }

    @Test func zoomToggles() {
        #expect(press([.enter]).0.isZoomed)
        #expect(!press([.character("z"), .character("z")]).0.isZoomed)
    }

    @Test func typingAMessageEditsAndSends() {
        let keys: [Key] = [.character("2"), .character("i")] + "héllo 世界".map { .character($0) }
            + [.left, .left, .backspace, .end, .character("!"), .home, .delete, .enter]
        let (after, commands) = press(keys)
        // Each edit also says the user is typing (SupervisorVerbTests); the send is the one command besides.
        #expect(commands.filter { $0.verb != .activity } == [LiveCommand(.send, .session(1), text: "éllo世界!")])
        #expect(after.mode == .normal)
    }

    @Test func escapeCancelsAndKeysDoNotLeakOut() {
        let (after, commands) = press([.character("i"), .character("x"), .character("q"), .escape])
        #expect(commands == [LiveCommand(.activity, .session(0)), LiveCommand(.activity, .session(0))], "typing notices only")
        #expect(after.isRunning && after.mode == .normal)
        #expect(press([.character("i"), .character(" "), .enter]).1 == [LiveCommand(.activity, .session(0))], "a blank line is not sent")
    }

    @Test func scrollingPagesBackAndEndFollowsAgain() {
        let context = ConsoleContext(focusedLines: 50, focusedViewport: 10)
        let (up, _) = press([.pageUp], context: context)
        #expect(up.scrollTop[0] == 31)
        let (upTwice, _) = press([.pageUp, .pageUp], context: context)
        #expect(upTwice.scrollTop[0] == 22)
        #expect(press([.pageUp, .pageDown], context: context).0.isFollowing(0))
        #expect(press([.home], context: context).0.scrollTop[0] == 0)
        #expect(press([.home, .end], context: context).0.isFollowing(0))
        #expect(press([.pageUp], context: ConsoleContext(focusedLines: 5, focusedViewport: 10)).0.isFollowing(0))
    }

    @Test func scrollingOnePaneLeavesTheOthersFollowing() {
        let context = ConsoleContext(focusedLines: 50, focusedViewport: 10)
        let (after, _) = press([.character("2"), .pageUp, .tab], context: context)
        #expect(!after.isFollowing(1))
        #expect(after.isFollowing(0) && after.isFollowing(2))
    }

    @Test func fOpensAChecklistOfEventTypes() {
        let context = ConsoleContext(focusedEventTypes: ["agent_audio", "ping", "user_message"])
        let (list, _) = press([.character("f")], context: context)
        #expect(list.showsInspector && list.mode == .eventTypes(cursor: 0, fromInspector: false))
        // Space hides the type under the cursor; ↓ moves; Space again shows it.
        let (two, _) = press([.character("f"), .character(" "), .down, .character(" ")], context: context)
        #expect(two.inspector.hidden == ["agent_audio", "ping"])
        let (back, _) = press([.character("f"), .character(" "), .character(" ")], context: context)
        #expect(back.inspector.hidden.isEmpty)
        // o shows only that type; a shows every type; Enter closes the list.
        let (only, _) = press([.character("f"), .down, .down, .character("o"), .enter], context: context)
        #expect(only.inspector.hidden == ["agent_audio", "ping"] && only.mode == .normal)
        #expect(press([.character("f"), .character("o"), .character("a")], context: context).0.inspector.hidden.isEmpty)
        #expect(press([.character("e")]).0.showsInspector)
    }

    @Test func helpOpensAndAnyKeyClosesIt() {
        let (help, _) = press([.character("?")])
        #expect(help.mode == .help)
        let (closed, commands) = press([.character("x")], from: help)
        #expect(closed.mode == .normal && commands.isEmpty)
    }

    /// Ctrl-L asks the terminal for a repaint and changes nothing else, in live and replay.
    @Test func ctrlLOnlyAsksForARepaint() {
        let (after, commands) = press([.control("l")])
        #expect(after.repaints == model.repaints + 1)
        #expect(commands.isEmpty)
        var unchanged = after
        unchanged.repaints = model.repaints
        #expect(unchanged == model)
        #expect(ConsoleFixtures.press([.control("l")], on: model, keymap: .replay).0.repaints == model.repaints + 1)
    }

    @Test func resizeOnlyChangesTheSize() {
        let (after, commands) = ConsoleUpdate.update(model, .resize(ScreenSize(width: 50, height: 20)), context: ConsoleContext(), keymap: .live)
        #expect(after.size == ScreenSize(width: 50, height: 20))
        #expect(commands.isEmpty)
    }

    @Test func reportsReachTheStatusBarSanitised() {
        let (after, commands) = ConsoleUpdate.update(model, .report("send 1 ava: \u{1B}[2Jnot live"), context: ConsoleContext(), keymap: .live)
        #expect(after.notice == "send 1 ava: \u{241B}[2Jnot live")
        #expect(commands.isEmpty)
        #expect(ConsoleUpdate.update(after, .report(nil), context: ConsoleContext(), keymap: .live).0.notice == nil)
    }

    @Test func everyKeyHasOneMeaning() {
        var seen = Set<Key>()
        for binding in Keymap<LiveAction>.live.bindings {
            for key in binding.keys { #expect(seen.insert(key).inserted, "\(key) is bound twice") }
        }
        seen = []
        for binding in Keymap<ReplayAction>.replay.bindings {
            for key in binding.keys { #expect(seen.insert(key).inserted, "\(key) is bound twice in replay") }
        }
    }
}
