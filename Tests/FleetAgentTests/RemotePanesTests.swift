import ConvEngine
import FleetAgent
import Testing
import TestSupport

/// A console's remote panes on an agent: listed, followed from the agent's first event, and
/// controlled through its API.
private func withRemotePanes(
    token: String = TestTokens.control, _ body: (AgentServer, AgentClient, RemoteAgent) async throws -> Void
) async throws {
    try await withAgent { server, port in
        server.board.startAll()
        let policy = ReconnectPolicy(initialDelay: .milliseconds(50), maxDelay: .milliseconds(400))
        let sink = Locked<RemoteAgent?>(nil)
        let follower = AgentFollower(address: "http://127.0.0.1:\(port)", token: token, policy: policy, from: 1) { line in
            sink.withLock { $0 }?.take(line)
        }!
        let client = AgentClient(address: follower.address, token: token)
        let remote = RemoteAgent(host: follower.host, sessions: try await client.sessions(), firstPane: 0, changes: ChangeSignal())
        sink.withLock { $0 = remote }
        let task = Task { await follower.run() }
        defer { task.cancel() }
        try await body(server, client, remote)
    }
}

@Suite("Remote panes: a console attached to an agent")
struct RemotePanesTests {
    @Test("each pane ends in exactly the agent's own snapshot; control requests reach the session")
    func panesEqualAgentSnapshots() async throws {
        try await withRemotePanes { server, client, remote in
            #expect(remote.sessions.map(\.number) == [1, 2])
            #expect(remote.channels[0].read().value.name == "\(server.board.sessions[0].name)@\(remote.host)")
            #expect(await eventually { remote.channels.allSatisfy { $0.read().value.state.transcript.count >= 2 } })
            #expect(await client.perform(.send(text: "from the console"), session: 1) == nil)
            for number in [1, 2] { #expect(await client.perform(.stop, session: number) == nil) }
            let settled = await eventually {
                zip(remote.channels, server.board.sessions).allSatisfy { channel, session in
                    !session.snapshot.state.phase.isActive && channel.read().value.state == session.snapshot.state
                }
            }
            #expect(settled, "remote: \(remote.channels.map { $0.read().value.state.phase }), agent: \(server.board.sessions.map(\.snapshot.state.phase))")
            #expect(remote.channels[0].read().value.state.transcript.contains { $0.role == .operator && $0.text == "from the console" })
            #expect(remote.note(session: 0) == nil)
            #expect(await client.perform(.stop, session: 1)?.contains("not running") == true)
        }
    }

    @Test("a read-only token watches but cannot control; a wrong one cannot even list")
    func tokens() async throws {
        try await withRemotePanes(token: TestTokens.readOnly) { server, client, remote in
            #expect(await eventually { remote.channels[0].read().value.state.run == 1 })
            let refusal = await client.perform(.stop, session: 1)
            #expect(refusal?.contains("403") == true, "\(refusal ?? "accepted")")
            #expect(server.board.sessions[0].snapshot.state.phase.isActive)
            let stranger = AgentClient(address: try #require(AgentAddress("http://\(remote.host)")), token: "wrong-token-0123456789")
            await #expect(throws: AgentClient.Failure.self) { try await stranger.sessions() }
        }
    }

    @Test("a lost agent greys its panes with the reason; they keep what they showed")
    func lostAgent() async throws {
        try await withRemotePanes { server, _, remote in
            #expect(await eventually { remote.channels[0].read().value.state.transcript.count >= 1 })
            await server.stop()
            #expect(await eventually { remote.unreachable != nil })
            #expect(remote.note(session: 1)?.hasPrefix("host unreachable: ") == true)
            #expect(remote.channels[0].read().value.state.transcript.count >= 1)
        }
    }
}
