import ConvEngine
import Testing

@testable import ConsoleCore

/// The event inspector: scroll and follow, pause, one event's JSON, the event-type checklist.
@Suite struct InspectorTests {
    /// Events 1-2 are run_started and connected; then these (3-5), then `extra` pings.
    private static func pane(extra: Int = 0) -> [PaneFrame] {
        let kinds: [SessionEvent.Kind] =
            [.userMessage(text: "where is my parcel", origin: .operator), .ping(eventId: 1, latencyMs: 40), .agentTextDone(responseId: "r", text: "it ships today")]
            + (0..<extra).map { .ping(eventId: 100 + $0, latencyMs: 7) }
        return ConsoleFixtures.frames(1, kinds: kinds)
    }

    private static func model() -> AppModel {
        var model = ConsoleFixtures.model(panes: 1, width: 120, height: 20)
        model.showsInspector = true
        return model
    }

    /// Keys through the live keymap, each with the context the render loop would build.
    private static func press(_ keys: [Key], on start: AppModel, panes: [PaneFrame] = pane()) -> AppModel {
        var model = start
        let events = panes[0].snapshot.state.recentEvents
        for key in keys {
            let context = ConsoleContext(
                focusedEventTypes: model.inspector.typeChoices(events), inspectorEvents: model.inspector.shown(events))
            model = ConsoleUpdate.update(model, .key(key), context: context, keymap: Keymap<LiveAction>.live).0
        }
        return model
    }

    private static func screen(_ model: AppModel, _ panes: [PaneFrame] = pane()) -> String {
        ConsoleFixtures.render(model, panes).buffer.lines.joined(separator: "\n")
    }

    @Test func scrollingUpHoldsTheListAndScrollingPastTheNewestFollows() {
        let inspecting = Self.press([.character("I")], on: Self.model())
        #expect(inspecting.mode == .inspector && inspecting.inspector.bottom == nil)
        #expect(Self.press([.up], on: inspecting).inspector.bottom == 4)
        #expect(Self.press([.up, .up, .up], on: inspecting).inspector.bottom == 2)
        #expect(Self.press([.up, .up, .down, .down], on: inspecting).inspector.bottom == nil, "back at the bottom it follows")
        #expect(Self.press([.home], on: inspecting).inspector.bottom == 1)
        #expect(Self.press([.home, .end], on: inspecting).inspector.bottom == nil)
        // Hidden types are skipped.
        var hiding = inspecting
        hiding.inspector.hidden = ["ping"]
        #expect(Self.press([.up], on: hiding).inspector.bottom == 3)
        #expect(Self.press([.escape], on: inspecting).mode == .normal)
    }

    @Test func aHeldListStaysPutWhileEventsArrive() {
        let held = Self.press([.character("I"), .up], on: Self.model())
        let before = Self.screen(held, Self.pane())
        let after = Self.screen(held, Self.pane(extra: 30))
        #expect(before.contains("user_message") && after.contains("user_message"))
        #expect(!after.contains("#100"), "the new pings are below the held bottom row")
        #expect(after.contains("held · 31 newer"))
        let following = Self.screen(Self.press([.end], on: held), Self.pane(extra: 30))
        #expect(following.contains("#129") && !following.contains("held"))
    }

    @Test func pauseHoldsTheNewestEventThenFollowsAgain() {
        let paused = Self.press([.character("p")], on: ConsoleFixtures.model(panes: 1, width: 120, height: 20))
        #expect(paused.showsInspector && paused.inspector.bottom == 5)
        #expect(Self.press([.character("p")], on: paused).inspector.bottom == nil)
    }

    @Test func enterOpensTheSelectedEventsWholeJSON() {
        let open = Self.press([.character("I"), .up, .up, .enter], on: Self.model())
        #expect(open.mode == .eventDetail(number: 3, top: 0))
        let screen = Self.screen(open)
        #expect(screen.contains(#""type": "user_message","#))
        #expect(screen.contains(#""text": "where is my parcel","#))
        #expect(screen.contains(#""origin": "operator""#))
        let closed = Self.press([.escape], on: open)
        #expect(closed.mode == .inspector && closed.inspector.bottom == 3)
    }

    @Test func theJSONIsIndentedMemberByMember() {
        let record = Self.pane()[0].snapshot.state.recentEvents[3]
        #expect(EventDetail.lines(record) == ["{", #"  "t": 1,"#, #"  "run": 1,"#, #"  "type": "ping","#, #"  "event_id": 1,"#, #"  "latency_ms": 40"#, "}"])
    }

    @Test func theChecklistShowsWhichTypesAreShown() {
        let list = Self.press([.character("f"), .down, .down, .character(" ")], on: Self.model())
        #expect(list.inspector.hidden == ["ping"])
        let screen = Self.screen(list)
        #expect(screen.contains("[x] agent_text_done") && screen.contains("[ ] ping") && screen.contains("[x] user_message"))
        let closed = Self.press([.enter], on: list)
        #expect(closed.mode == .normal)
        let inspector = Self.screen(closed)
        #expect(inspector.contains("1 type hidden") && !inspector.contains("← ping"))
    }
}
