import ConvEngine
import Foundation
import Testing
import TestSupport

/// `convtui agent` as a real process: refusals at start, then serving, control and an orderly exit.
@Suite("convtui agent, end to end", .serialized)
struct AgentEndToEndTests {
    private static let token = "agent-e2e-control-token-0123"

    /// A config of two simulated sessions and a private token file, in a fresh directory.
    private func setUp() throws -> (directory: String, config: String, tokenFile: String) {
        let directory = makeTemporaryDirectory()
        let config = directory + "/fleet.toml"
        try "[[session]]\nname = \"ava\"\nbackend = \"sim\"\n\n[[session]]\nname = \"lina\"\nbackend = \"sim\"\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let tokenFile = directory + "/control.token"
        guard FileManager.default.createFile(atPath: tokenFile, contents: Data((Self.token + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else { throw HTTPTestError("cannot write the token file") }
        return (directory, config, tokenFile)
    }

    /// The phases `GET /v1/sessions` lists, in session order.
    private static func phases(_ client: LoopbackHTTP) async -> [String]? {
        guard let reply = try? await client.get("/v1/sessions"), reply.status == 200,
            let sessions = (try? JSONParser.parse(reply.body))?["sessions"]?.arrayValue
        else { return nil }
        return sessions.compactMap { $0["phase"]?.stringValue }
    }

    @Test func refusesPlainHTTPOffLoopbackAndAReadableTokenFile() async throws {
        let (directory, config, tokenFile) = try setUp()
        let open = try ConvtuiProcess(["agent", config, "--listen", "0.0.0.0:0", "--token-file", tokenFile, "--no-record"])
        #expect(await open.waitForExit() != 0)
        #expect(open.stderr.contains("without TLS"))
        let readable = directory + "/readable.token"
        #expect(FileManager.default.createFile(atPath: readable, contents: Data(Self.token.utf8), attributes: [.posixPermissions: 0o644]))
        let shared = try ConvtuiProcess(["agent", config, "--listen", "127.0.0.1:0", "--token-file", readable, "--no-record"])
        #expect(await shared.waitForExit() != 0)
        #expect(shared.stderr.contains("chmod 600"))
        #expect(!shared.stderr.contains(Self.token))
    }

    @Test func servesControlsAndStopsOnSIGTERM() async throws {
        let (directory, config, tokenFile) = try setUp()
        let agent = try ConvtuiProcess(["agent", config, "--listen", "127.0.0.1:0", "--token-file", tokenFile, "--record-dir", directory + "/logs"])
        var port: Int?
        #expect(await eventually {
            guard let range = agent.stderr.range(of: "listening on http://127.0.0.1:") else { return false }
            port = Int(agent.stderr[range.upperBound...].prefix { $0.isNumber })
            return port != nil
        })
        let client = LoopbackHTTP(port: try #require(port), token: Self.token)
        var phases: [String] = []
        for _ in 0..<200 where phases != ["live", "live"] {
            phases = await Self.phases(client) ?? []
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(phases == ["live", "live"])
        let stopped = try await client.post("/v1/sessions/lina/stop")
        #expect(stopped.status == 200, "\(stopped.body)")
        agent.signal(SIGTERM)
        #expect(await agent.waitForExit() == 0)
        #expect(!agent.stderr.contains(Self.token))
        let logs = try FileManager.default.contentsOfDirectory(atPath: directory + "/logs").filter { $0.hasSuffix(".jsonl") }.sorted()
        #expect(logs.count == 2)
        let ava = try String(contentsOfFile: directory + "/logs/" + logs[0], encoding: .utf8)
        let lina = try String(contentsOfFile: directory + "/logs/" + logs[1], encoding: .utf8)
        #expect(ava.contains(#""type":"ended","reason":"signal""#))
        #expect(lina.contains(#""type":"ended","reason":"stopped by operator""#))
    }
}
