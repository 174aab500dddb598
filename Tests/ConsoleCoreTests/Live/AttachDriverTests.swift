import ConsoleCore
import ConvEngine
import Synchronization
import Testing

/// Records the requests an attached console sends, answering each with a refusal or nothing.
private final class RecordingControl: AgentControl {
    let sent = Mutex<[(ControlRequest, Int)]>([])
    let answer: String?

    init(answer: String? = nil) { self.answer = answer }

    func perform(_ request: ControlRequest, session: Int) async -> String? {
        sent.withLock { $0.append((request, session)) }
        return answer
    }
}

@Suite("AttachDriver: live keys on remote panes")
struct AttachDriverTests {
    private func driver(_ controls: [RecordingControl]) -> AttachDriver {
        let changes = ChangeSignal()
        let one = RemoteAgent(host: "a:1", sessions: [.init(number: 1, name: "ava"), .init(number: 4, name: "bo")], firstPane: 0, changes: changes)
        let two = RemoteAgent(host: "b:2", sessions: [.init(number: 2, name: "cy")], firstPane: 2, changes: changes)
        return AttachDriver(agents: [one, two], controls: controls, changes: changes)
    }

    @Test("panes run over the agents in order, named NAME@HOST and numbered across the console")
    func panes() {
        let attached = driver([RecordingControl(), RecordingControl()])
        #expect(attached.paneCount == 3)
        #expect((0..<3).map { attached.snapshots(pane: $0).read().value.name } == ["ava@a:1", "bo@a:1", "cy@b:2"])
        #expect((0..<3).map { attached.snapshots(pane: $0).read().value.number } == [1, 2, 3])
        #expect(!attached.confirmsQuit)
        #expect(attached.note(pane: 2) == "connecting to b:2…")
        #expect(attached.statusLabel == "attached to 2 agents")
    }

    @Test("a lost agent and dropped audio are counted in the status bar; only the lost agent's panes grey")
    func statusLabel() {
        let changes = ChangeSignal()
        let one = RemoteAgent(host: "a:1", sessions: [.init(number: 1, name: "ava")], firstPane: 0, changes: changes)
        let two = RemoteAgent(host: "b:2", sessions: [.init(number: 1, name: "bo")], firstPane: 1, changes: changes)
        let attached = AttachDriver(agents: [one, two], controls: [RecordingControl(), RecordingControl()], changes: changes)
        one.take(Array(#"{"type":"watch_dropped","host":"a:1","audio_events":3,"audio_events_total":7}"#.utf8))
        two.take(Array(#"{"type":"host_unreachable","host":"b:2","reason":"connection refused"}"#.utf8))
        #expect(attached.statusLabel == "attached to 2 agents · 1 unreachable · 7 audio chunks dropped")
        #expect(!attached.isFrozen(pane: 0))
        #expect(attached.isFrozen(pane: 1))
        #expect(attached.frozenMarker == "lost")
        #expect(attached.note(pane: 1) == "host unreachable: connection refused")
    }

    @Test("a command goes to the pane's own agent and session number; one for all goes to every agent")
    func routes() async {
        let controls = [RecordingControl(), RecordingControl()]
        let attached = driver(controls)
        attached.perform(LiveCommand(.send, .session(1), text: "hi"), report: { _ in })
        attached.perform(LiveCommand(.stop, .all), report: { _ in })
        await attached.shutdown(reason: "quit")
        #expect(controls[0].sent.withLock { $0.map(\.1) }.sorted() == [1, 4, 4])
        #expect(controls[0].sent.withLock { $0.first { $0.1 == 4 }?.0 } == .send(text: "hi"))
        #expect(controls[1].sent.withLock { $0.map(\.0) } == [.stop])
        #expect(controls[1].sent.withLock { $0.map(\.1) } == [2])
    }

    @Test("the agent's refusal reaches the operator, naming the pane")
    func refusalReported() async {
        let reports = Mutex<[String]>([])
        let attached = driver([RecordingControl(answer: "not running (ended) (HTTP 409)"), RecordingControl()])
        attached.perform(LiveCommand(.stop, .session(0)), report: { message in reports.withLock { $0.append(message) } })
        await attached.shutdown(reason: "quit")
        #expect(reports.withLock { $0 } == ["stop 1 ava@a:1: not running (ended) (HTTP 409)"])
    }

    @Test("each live verb becomes the agent's request; answers need a waiting call")
    func requests() {
        let idle = SessionState(backend: "sim")
        func request(_ verb: LiveVerb, _ text: String = "") -> Result<ControlRequest, AttachDriver.Refusal> {
            AttachDriver.request(LiveCommand(verb, .session(0), text: text), state: idle)
        }
        #expect(request(.start) == .success(.start))
        #expect(request(.restart) == .success(.restart))
        #expect(request(.context, "vip") == .success(.context(text: "vip")))
        #expect(request(.like) == .success(.feedback(like: true)))
        #expect(request(.end) == .success(.end))
        #expect(request(.mark, "odd") == .success(.mark(note: "odd")))
        #expect(request(.tool, "42") == .failure(.refused("no tool call is waiting")))
        #expect(request(.approve) == .failure(.refused("no approval is waiting")))
        if case .success = request(.activity) { Issue.record("typing was sent to a remote session") }
    }
}

@Suite("BoardAndAgentsDriver: a config's sessions and its agents' in one console")
struct BoardAndAgentsDriverTests {
    @Test("the board's panes come first; a command reaches the pane's owner, one for all reaches both")
    func routes() async throws {
        let board = try SessionBoard.simulated(count: 2, options: SimOptions(seed: 3), recording: nil)
        let changes = board.changes ?? ChangeSignal()
        let agent = RemoteAgent(host: "a:1", sessions: [.init(number: 7, name: "far")], firstPane: 2, changes: changes)
        let control = RecordingControl()
        let driver = BoardAndAgentsDriver(
            board: BoardDriver(board: board, logDirectory: nil), remote: AttachDriver(agents: [agent], controls: [control], changes: changes))
        #expect(driver.paneCount == 3)
        #expect((0..<3).map { driver.snapshots(pane: $0).read().value.number } == [1, 2, 3])
        #expect(driver.snapshots(pane: 2).read().value.name == "far@a:1")
        #expect(driver.note(pane: 2) == "connecting to a:1…")
        #expect(driver.note(pane: 0) == nil)
        driver.perform(LiveCommand(.start, .session(0)), report: { _ in })
        driver.perform(LiveCommand(.send, .session(2), text: "hello"), report: { _ in })
        driver.perform(LiveCommand(.stop, .all), report: { _ in })
        await driver.shutdown(reason: "quit")
        #expect(control.sent.withLock { $0.map(\.0) } == [.send(text: "hello"), .stop])
        #expect(control.sent.withLock { $0.map(\.1) } == [7, 7])
        #expect(board.sessions[0].snapshot.state.run == 1, "the start reached the local session")
        #expect(board.sessions[1].snapshot.state.run == 0)
    }
}
