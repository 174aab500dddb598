import ConvEngine
import Testing

@testable import ConsoleCore

/// The supervisor verbs (contextual update, tool result, approve/deny, feedback, end, typing):
/// their keys, their headless lines and how an answer finds its pending call.
@Suite("Supervisor verbs")
struct SupervisorVerbTests {
    private let model = ConsoleFixtures.model(panes: 4, width: 120, height: 40)
    private let headless = HeadlessCommand(names: ["ava", "lina"])

    private func press(_ keys: [Key], from start: AppModel? = nil) -> (AppModel, [LiveCommand]) {
        ConsoleFixtures.press(keys, on: start ?? model, keymap: .live)
    }

    private func typed(_ text: String) -> [Key] { text.map { .character($0) } }

    @Test func focusedKeysActOnTheFocusedPane() {
        let keys: [(Character, LiveVerb)] = [("a", .approve), ("d", .deny), ("+", .like), ("-", .dislike), ("E", .end)]
        for (key, verb) in keys {
            #expect(press([.character("2"), .character(key)]).1 == [LiveCommand(verb, .session(1))], "key \(key)")
        }
    }

    @Test func promptedKeysSendTheTypedText() {
        let (prompting, none) = press([.character("c")])
        #expect(none.isEmpty)
        #expect(prompting.mode == .prompt(.text(.context), InputLine()))
        #expect(press(typed("vip") + [.enter], from: prompting).1 == [LiveCommand(.context, .session(0), text: "vip")])
        let tool = press([.character("3"), .character("o")] + typed("ok") + [.enter]).1
        #expect(tool == [LiveCommand(.tool, .session(2), text: "ok")])
    }

    @Test func markKeyPromptsForANoteAndEnterAloneMarksWithout() {
        let (prompting, none) = press([.character("2"), .character("m")])
        #expect(none.isEmpty)
        #expect(prompting.mode == .prompt(.text(.mark), InputLine()))
        #expect(press(typed("bad answer") + [.enter], from: prompting).1 == [LiveCommand(.mark, .session(1), text: "bad answer")])
        #expect(press([.enter], from: prompting).1 == [LiveCommand(.mark, .session(1), text: "")])
        #expect(press([.character("i"), .enter]).1.isEmpty, "an empty message still sends nothing")
        #expect(Keymap<LiveAction>.live.helpLines.map(\.label).contains("m"))
    }

    @Test func headlessMarkTakesAnOptionalNote() throws {
        #expect(try headless.parse("mark lina wrong tool").get() == .live(LiveCommand(.mark, .session(1), text: "wrong tool")))
        #expect(try headless.parse("mark 1").get() == .live(LiveCommand(.mark, .session(0), text: "")))
        #expect(HeadlessCommand.verbs.first { $0.word == "mark" }?.usage == "mark SESSION [NOTE]")
    }

    @Test func typingAMessageSaysTheUserIsActiveButOtherPromptsDoNot() {
        let message = press([.character("i")] + typed("hi")).1
        #expect(message == [LiveCommand(.activity, .session(0)), LiveCommand(.activity, .session(0))])
        #expect(press([.character("c")] + typed("hi")).1.isEmpty)
        #expect(press([.character("o")] + typed("hi")).1.isEmpty)
    }

    @Test func theNewKeysClashWithNoOtherAndShowInHelp() {
        var seen: Set<Key> = []
        for binding in Keymap<LiveAction>.live.bindings {
            for key in binding.keys { #expect(seen.insert(key).inserted, "\(key) is bound twice") }
        }
        let help = Keymap<LiveAction>.live.helpLines.map(\.label)
        for label in ["c", "t", "a", "d", "+", "-", "E"] { #expect(help.contains(label), "help lists \(label)") }
    }

    @Test func headlessLinesForEachVerb() {
        func parse(_ line: String) -> HeadlessRequest? { try? headless.parse(line).get() }
        #expect(parse("context 1 the user is a VIP") == .live(LiveCommand(.context, .session(0), text: "the user is a VIP")))
        #expect(parse("tool lina shipped") == .live(LiveCommand(.tool, .session(1), text: "shipped")))
        #expect(parse("approve 1") == .live(LiveCommand(.approve, .session(0))))
        #expect(parse("approve 1 mcp_7") == .live(LiveCommand(.approve, .session(0), text: "mcp_7")))
        #expect(parse("deny 2") == .live(LiveCommand(.deny, .session(1))))
        #expect(parse("like 1") == .live(LiveCommand(.like, .session(0))))
        #expect(parse("dislike 1") == .live(LiveCommand(.dislike, .session(0))))
        #expect(parse("end 2") == .live(LiveCommand(.end, .session(1))))
        #expect(parse("activity 1") == .live(LiveCommand(.activity, .session(0))))
        if case .failure(let error) = headless.parse("approve 1 a b") { #expect(error.message == "usage: approve SESSION [CALL_ID]") } else {
            Issue.record("two call ids were taken")
        }
        if case .failure(let error) = headless.parse("tool 1") { #expect(error.message == "usage: tool SESSION [CALL_ID] RESULT") } else {
            Issue.record("a tool line without a result was taken")
        }
    }

    @Test func anAnswerGoesToTheOldestCallUnlessItNamesOne() throws {
        let calls = [PendingCall(callId: "c1", name: "f", arguments: "{}"), PendingCall(callId: "c2", name: "g", arguments: "{}")]
        let oldest = try #require(PendingAnswer.toolCall(in: calls, text: "all good"))
        #expect(oldest.0.callId == "c1" && oldest.1 == "all good")
        let named = try #require(PendingAnswer.toolCall(in: calls, text: "c2 42 items"))
        #expect(named.0.callId == "c2" && named.1 == "42 items")
        #expect(PendingAnswer.toolCall(in: [], text: "x") == nil)
        #expect(PendingAnswer.approval(in: calls, callId: "")?.callId == "c1")
        #expect(PendingAnswer.approval(in: calls, callId: "c2")?.callId == "c2")
        #expect(PendingAnswer.approval(in: calls, callId: "c9") == nil)
    }

    @Test func typingNoticesGoOutAtMostOnceASecondPerSession() {
        var throttle = ActivityThrottle()
        let start = ContinuousClock.now
        let answers = [
            throttle.admits(0, at: start), throttle.admits(0, at: start + .milliseconds(999)),
            throttle.admits(1, at: start + .milliseconds(10)), throttle.admits(0, at: start + .seconds(1)),
        ]
        #expect(answers == [true, false, true, true], "once a second, each session on its own")
    }

    @Test func thePaneSaysWhatWaitsForTheOperator() {
        #expect(PaneView.awaiting(ConsoleFixtures.snapshot(number: 1).state) == nil)
        let calls: [SessionEvent.Kind] = [
            .mcpToolCall(callId: "m1", name: "search_docs", state: "awaiting_approval", detail: ""),
            .toolCall(callId: "t1", name: "lookup_order", arguments: "{}"), .toolCall(callId: "t2", name: "lookup_order", arguments: "{}"),
        ]
        let waiting = ConsoleFixtures.snapshot(number: 1, calls)
        #expect(
            PaneView.awaiting(waiting.state)
                == " awaiting approval: search_docs · a approve / d deny · awaiting tool result: lookup_order (+1 more) · o answers")
        #expect(PaneView.awaiting(waiting.state, keys: false) == " awaiting approval: search_docs · awaiting tool result: lookup_order (+1 more)", "a replay names no keys")
        let approved = ConsoleFixtures.snapshot(number: 1, calls + [.toolApproval(callId: "m1", approved: true)])
        #expect(PaneView.awaiting(approved.state)?.hasPrefix(" awaiting tool result") == true)
    }

    /// The row takes the pane's last line, below the transcript, and goes once answered.
    @Test func theAwaitingRowIsDrawnAtTheFootOfThePane() {
        let call: SessionEvent.Kind = .mcpToolCall(callId: "m1", name: "search_docs", state: "awaiting_approval", detail: "")
        let pane = PaneFrame(snapshot: ConsoleFixtures.snapshot(number: 1, [call]), version: 2, now: 10_000_000)
        let model = ConsoleFixtures.model(panes: 1, width: 80, height: 12)
        let lines = ConsoleFixtures.render(model, [pane]).buffer.lines
        let row = lines.firstIndex { $0.contains("awaiting approval: search_docs") }
        #expect(row == lines.count - 3, "the last row inside the frame, above the status bar")
        let answered = PaneFrame(
            snapshot: ConsoleFixtures.snapshot(number: 1, [call, .toolApproval(callId: "m1", approved: true)]), version: 3, now: 10_000_000)
        #expect(!ConsoleFixtures.render(model, [answered]).buffer.lines.contains { $0.contains("awaiting approval") })
    }
}
