import ArgumentParser
import ConsoleCore
import ConvEngine
import FleetAgent

/// The agents a console attaches to (`convtui attach`, a config's `[[remote]]`): each one's
/// sessions listed first, which fixes the panes, then its watch stream followed from the
/// oldest event it still holds and folded into those panes.
struct AttachedAgents {
    let agents: [RemoteAgent]
    let clients: [AgentClient]
    private let followers: [AgentFollower]

    /// One agent to attach to.
    struct Target {
        let address: AgentAddress
        let token: String
        let insecure: Bool
    }

    /// Refuses to send a token in the clear to an agent off loopback, unless allowed.
    static func checkSecurity(_ address: AgentAddress, insecure: Bool) throws {
        do {
            try WebSocketEndpoint(url: address.webSocketBase, carriesCredential: true).checkSecurity(allowInsecure: insecure)
        } catch {
            throw ValidationError("refusing to send the token in the clear to \(address.host); use https:// (wss://) or --insecure")
        }
    }

    /// Lists every agent's sessions at once; an agent that cannot be listed is an error naming it.
    /// Panes are numbered from `firstPane` + 1 on, in the order of `targets`.
    static func connect(_ targets: [Target], silenceTimeout: Duration, firstPane: Int, changes: ChangeSignal) async throws -> AttachedAgents {
        for target in targets { try checkSecurity(target.address, insecure: target.insecure) }
        let clients = targets.map { AgentClient(address: $0.address, token: $0.token) }
        let listed = try await withThrowingTaskGroup(of: (Int, [RemoteAgent.Listed]).self) { group in
            for (index, client) in clients.enumerated() {
                group.addTask {
                    do { return (index, try await client.sessions()) } catch {
                        throw ValidationError("cannot list the sessions of agent \(targets[index].address.host): \(error)")
                    }
                }
            }
            var listed = Array(repeating: [RemoteAgent.Listed](), count: clients.count)
            for try await (index, sessions) in group { listed[index] = sessions }
            return listed
        }
        var agents: [RemoteAgent] = []
        var followers: [AgentFollower] = []
        var panes = firstPane
        for (index, target) in targets.enumerated() {
            let agent = RemoteAgent(host: target.address.host, sessions: listed[index], firstPane: panes, changes: changes)
            panes += listed[index].count
            agents.append(agent)
            followers.append(AgentFollower(address: target.address, token: target.token, silenceTimeout: silenceTimeout, from: 1, emit: agent.take))
        }
        return AttachedAgents(agents: agents, clients: clients, followers: followers)
    }

    /// How many panes the agents' sessions fill.
    var paneCount: Int { agents.reduce(0) { $0 + $1.sessions.count } }

    /// Follows every agent until the returned tasks are cancelled.
    func follow() -> [Task<Void, Never>] {
        followers.map { follower in Task { await follower.run() } }
    }

    /// The console driver of these agents' panes.
    func driver(changes: ChangeSignal) -> AttachDriver {
        AttachDriver(agents: agents, controls: clients, changes: changes)
    }
}
