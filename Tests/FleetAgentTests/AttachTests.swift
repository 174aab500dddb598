import ConvEngine
import FleetAgent
import Testing
import TestSupport

/// What `convtui attach --headless` would print, parsed.
final class Printed: Sendable {
    private let lines = Locked<[JSONValue]>([])
    func append(_ bytes: [UInt8]) { lines.withLock { $0.append(try! JSONParser.parse(bytes)) } }
    var all: [JSONValue] { lines.withLock { $0 } }
    func events(host: String) -> [Int] { all.filter { $0["host"]?.stringValue == host }.compactMap { $0["seq"]?.intValue } }
    func count(type: String) -> Int { all.filter { $0["type"]?.stringValue == type }.count }
}

/// Follows the agents on `ports` with quick retries until `body` is done.
private func follow(ports: [Int], into printed: Printed, _ body: () async throws -> Void) async throws {
    let policy = ReconnectPolicy(initialDelay: .milliseconds(50), maxDelay: .milliseconds(400))
    let tasks = ports.map { port in
        let follower = AgentFollower(address: "http://127.0.0.1:\(port)", token: TestTokens.readOnly, policy: policy) { printed.append($0) }!
        return Task { await follower.run() }
    }
    defer { for task in tasks { task.cancel() } }
    try await body()
}

@Suite("Attach: following agents on loopback")
struct AttachTests {
    @Test("two agents' events arrive with their host, each agent's sequence numbers consecutive")
    func twoAgents() async throws {
        try await withAgent { one, first in
            try await withAgent { two, second in
                one.board.startAll()
                two.board.startAll()
                let printed = Printed()
                let hosts = ["127.0.0.1:\(first)", "127.0.0.1:\(second)"]
                try await follow(ports: [first, second], into: printed) {
                    #expect(await eventually { hosts.allSatisfy { printed.events(host: $0).count >= 15 } }, "\(printed.all.prefix(6))")
                }
                #expect(printed.count(type: "host_connected") == 2)
                for host in hosts {
                    let seqs = printed.events(host: host)
                    #expect(seqs == Array((seqs.first ?? 0)..<((seqs.first ?? 0) + seqs.count)))
                }
            }
        }
    }

    @Test("an agent whose server goes away is said unreachable, then resumed without a lost or repeated event")
    func resumesAfterRestart() async throws {
        try await withAgent { server, port in
            server.board.startAll()
            let printed = Printed()
            let host = "127.0.0.1:\(port)"
            try await follow(ports: [port], into: printed) {
                #expect(await eventually { printed.events(host: host).count >= 10 }, "\(printed.all.prefix(6))")
                await server.stop()
                #expect(await eventually { printed.count(type: "host_unreachable") == 1 })
                let before = printed.events(host: host).count
                var options = server.options
                options.port = port
                let again = AgentServer(
                    board: server.board, journal: server.journal, metrics: server.metrics,
                    tokens: try AccessTokens(control: TestTokens.control, readOnly: TestTokens.readOnly), options: options,
                    instance: server.instance)
                // The stopped server's listening socket can outlive `stop()` a moment on a loaded
                // machine ("address already in use"): try the same port again for a while.
                let deadline = ContinuousClock.now + .seconds(20)
                while true {
                    do {
                        _ = try await again.start()
                        break
                    } catch where ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(200))
                    }
                }
                #expect(await eventually { printed.events(host: host).count >= before + 20 })
                await again.stop()
            }
            let seqs = printed.events(host: host)
            #expect(seqs == Array((seqs.first ?? 0)..<((seqs.first ?? 0) + seqs.count)))
            #expect(printed.count(type: "host_connected") == 2)
            #expect(printed.count(type: "agent_restarted") == 0)
        }
    }
}
