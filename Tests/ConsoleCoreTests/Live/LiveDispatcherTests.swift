import ConvEngine
import Synchronization
import TestSupport
import Testing

@testable import ConsoleCore

@Suite("Live dispatcher")
struct LiveDispatcherTests {
    /// Events of every session, in the order the sessions produced them.
    private final class Recorder: Sendable {
        let events = Mutex<[(session: Int, kind: SessionEvent.Kind)]>([])
        let failures = Mutex<[String]>([])

        func kinds(of session: Int) -> [SessionEvent.Kind] { events.withLock { $0.filter { $0.session == session }.map(\.kind) } }
        func types(of session: Int) -> [String] { kinds(of: session).map(\.typeName) }
    }

    /// Simulated sessions on `clock`: they do nothing between the test's steps unless it advances it.
    private func board(_ recorder: Recorder, count: Int = 2, clock: ManualClock) throws -> SessionBoard {
        try SessionBoard.simulated(
            count: count, options: SimOptions(seed: 3), recording: nil,
            observer: { number, _, event in recorder.events.withLock { $0.append((number, event.kind)) } }, clock: clock)
    }

    @Test func aSendIsCarriedOutBeforeTheStopAfterIt() async throws {
        let recorder = Recorder()
        let clock = ManualClock()
        let board = try board(recorder, clock: clock)
        let dispatcher = LiveDispatcher(board: board)
        dispatcher.perform(LiveCommand(.start, .session(0))) { message in recorder.failures.withLock { $0.append(message) } }
        #expect(await clock.advance { board.sessions[0].snapshot.state.phase.isLive })
        for i in 0..<20 {
            dispatcher.perform(LiveCommand(.send, .session(0), text: "m\(i)")) { message in recorder.failures.withLock { $0.append(message) } }
        }
        dispatcher.perform(LiveCommand(.stop, .session(0))) { message in recorder.failures.withLock { $0.append(message) } }
        dispatcher.perform(LiveCommand(.send, .session(0), text: "late")) { message in recorder.failures.withLock { $0.append(message) } }
        #expect(await eventually { recorder.failures.withLock { $0.count } == 1 })
        let types = recorder.types(of: 1)
        let stopAt = try #require(types.firstIndex(of: "stop_requested"))
        #expect(types[..<stopAt].filter { $0 == "user_message" }.count == 20, "every send before the stop went out first")
        let sent = recorder.events.withLock { $0 }.compactMap { event -> MessageOrigin? in
            if case .userMessage(_, let origin) = event.1 { origin } else { nil }
        }
        #expect(sent.count == 20 && sent.allSatisfy { $0 == .operator }, "what the operator typed is logged as theirs")
        #expect(!types[stopAt...].contains("user_message"))
        #expect(recorder.failures.withLock { $0 } == ["send 1 \(board.sessions[0].name): session is not live (ended)"])
        await dispatcher.shutdown(reason: "quit")
    }

    @Test func oneSessionsFailuresLeaveTheOthersAlone() async throws {
        let recorder = Recorder()
        let clock = ManualClock()
        let board = try board(recorder, clock: clock)
        let dispatcher = LiveDispatcher(board: board)
        dispatcher.perform(LiveCommand(.send, .session(1), text: "nobody home")) { message in recorder.failures.withLock { $0.append(message) } }
        dispatcher.perform(LiveCommand(.start, .session(0))) { message in recorder.failures.withLock { $0.append(message) } }
        dispatcher.perform(LiveCommand(.start, .session(0))) { message in recorder.failures.withLock { $0.append(message) } }
        #expect(await eventually { recorder.failures.withLock { $0.count } == 2 })
        let failures = recorder.failures.withLock { $0 }.sorted()
        #expect(failures[0].hasPrefix("send 2 "))
        #expect(failures[1].hasPrefix("start 1 ") && failures[1].contains("already"))
        await dispatcher.shutdown(reason: "quit")
    }

    /// An answer with nothing to answer says so; typing at a session that is not live says
    /// nothing; `end` ends the conversation with its reason.
    @Test func supervisorVerbsSayWhyTheyCouldNotAct() async throws {
        let recorder = Recorder()
        let clock = ManualClock()
        let board = try board(recorder, count: 1, clock: clock)
        let dispatcher = LiveDispatcher(board: board)
        let failed: @Sendable (String) -> Void = { message in recorder.failures.withLock { $0.append(message) } }
        dispatcher.perform(LiveCommand(.activity, .session(0)), failed: failed)
        dispatcher.perform(LiveCommand(.start, .session(0)), failed: failed)
        #expect(await clock.advance { board.sessions[0].snapshot.state.phase.isLive })
        dispatcher.perform(LiveCommand(.tool, .session(0), text: "42"), failed: failed)
        dispatcher.perform(LiveCommand(.approve, .session(0), text: "mcp_9"), failed: failed)
        dispatcher.perform(LiveCommand(.deny, .session(0)), failed: failed)
        dispatcher.perform(LiveCommand(.end, .session(0)), failed: failed)
        #expect(await eventually { recorder.kinds(of: 1).contains { if case .ended = $0 { true } else { false } } })
        let name = board.sessions[0].name
        #expect(
            recorder.failures.withLock { $0 } == [
                "tool 1 \(name): no tool call is waiting", "approve 1 \(name): no approval mcp_9 is waiting", "deny 1 \(name): no approval is waiting",
            ])
        #expect(recorder.kinds(of: 1).last == .ended(reason: "conversation ended by operator"))
        await dispatcher.shutdown(reason: "quit")
    }

    @Test func shutdownSaysWhyAndFinishesQueuedSends() async throws {
        let recorder = Recorder()
        let clock = ManualClock()
        let board = try board(recorder, count: 1, clock: clock)
        let dispatcher = LiveDispatcher(board: board)
        dispatcher.perform(LiveCommand(.start, .all)) { _ in }
        #expect(await clock.advance { board.sessions[0].snapshot.state.phase.isLive })
        dispatcher.perform(LiveCommand(.send, .session(0), text: "last words")) { message in recorder.failures.withLock { $0.append(message) } }
        await dispatcher.shutdown(reason: "duration")
        #expect(recorder.types(of: 1).contains("user_message"))
        #expect(recorder.failures.withLock { $0 }.isEmpty)
        guard case .ended(let reason) = recorder.kinds(of: 1).last else {
            Issue.record("the session did not end")
            return
        }
        #expect(reason == "duration")
        let late = Mutex<[String]>([])
        dispatcher.perform(LiveCommand(.start, .session(0))) { message in late.withLock { $0.append(message) } }
        #expect(late.withLock { $0 } == ["start 1 \(board.sessions[0].name): the console is closing"])
    }
}
