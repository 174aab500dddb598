import ConvEngine
import Foundation
import Testing
import TestSupport

/// Transport faults in some sessions of one `convtui run`: each failing session fails with a
/// reason, promptly and alone; the process and the healthy session carry on.
///
/// TLS to a plain port fails in its handshake: usually it never completes (the server waits
/// for a line end, the client for a ServerHello) and the handshake deadline (10 s) fails it;
/// when the server gives up on the bytes first (seen under ThreadSanitizer), the TLS layer
/// reports the closed connection sooner.
@Suite("Transport faults stay in their session", .serialized)
struct TransportFaultTests {
    @Test func failingTransportsNeverTakeTheProcessDown() async throws {
        // Drops every conversation after 1 s and answers with broken frames: faults mid-session.
        let (server, port) = try await startSimServer(["--drop-after", "1", "--malformed-rate", "0.5"])
        defer { server.signal(SIGTERM) }
        let directory = makeTemporaryDirectory("convtui-faults")
        let config = directory + "/faults.toml"
        try """
            reconnect = false

            [[session]]
            name = "healthy"
            backend = "sim"

            [[session]]
            name = "dropped"
            backend = "elevenlabs"
            url = "ws://127.0.0.1:\(port)"
            agent_id = "ava"
            script = [{ delay = 0.1, text = "hello" }]

            [[session]]
            name = "tls-to-plain"
            backend = "openai"
            url = "wss://localhost:\(port)/v1"   # a host name: an IP cannot be used for SNI
            model = "ava"

            [[session]]
            name = "refused"
            backend = "openai"
            url = "ws://127.0.0.1:1/v1"
            model = "ava"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let started = ContinuousClock.now
        let run = try ConvtuiProcess(["run", config, "--headless", "--record-dir", directory + "/logs"])
        func events(_ name: String) -> [[String: Any]] { run.jsonLines.filter { $0["name"] as? String == name } }
        func failure(_ name: String) -> String? {
            events(name).last { $0["type"] as? String == "failed" }?["error"] as? String
        }
        #expect(await eventually(timeout: .seconds(15)) { ["dropped", "refused", "tls-to-plain"].allSatisfy { failure($0) != nil } })
        #expect(ContinuousClock.now - started < .seconds(15), "each fault ends its session within the bound")
        for name in ["dropped", "refused", "tls-to-plain"] {
            #expect(!(failure(name) ?? "").isEmpty, "\(name) fails with a reason: \(failure(name) ?? "none")")
        }
        #expect(failure("tls-to-plain")?.contains("handshake") == true, "the reason names the handshake")
        let healthyBefore = events("healthy").count
        #expect(await eventually { events("healthy").count > healthyBefore + 3 }, "the healthy session keeps receiving")
        #expect(!events("healthy").contains { ["failed", "ended"].contains($0["type"] as? String) })
        run.send("quit")
        #expect(await run.waitForExit() == 0, "the process exits normally: \(run.stderr)")
        for file in try FileManager.default.contentsOfDirectory(atPath: directory + "/logs") where file.hasSuffix(".jsonl") {
            let log = try SessionLogReader.read(path: directory + "/logs/" + file)
            #expect(log.problems.isEmpty, "\(file): \(log.problems)")
            if file.hasSuffix("-dropped.jsonl") || file.hasSuffix("-refused.jsonl") || file.hasSuffix("-tls-to-plain.jsonl") {
                #expect(log.events.contains { if case .failed = $0.kind { true } else { false } }, "\(file) records the fault")
            }
        }
        print("faults: " + ["dropped", "tls-to-plain", "refused"].map { "\($0): \(failure($0) ?? "-")" }.joined(separator: " | "))
    }
}

/// TLS to a plain port on its own, beside a healthy session: it must fail within 15 s (the
/// handshake deadline is 10 s).
@Suite("TLS to a plain port")
struct TLSToPlainPortTests {
    @Test func tlsToAPlainPortFailsWithinTheBound() async throws {
        let (server, port) = try await startSimServer()
        defer { server.signal(SIGTERM) }
        let run = try HeadlessRun(label: "convtui-tls", sessions: [
            HeadlessRun.simulated("healthy"),
            // A host name: an IP cannot be used for SNI.
            "[[session]]\nname = \"tls-to-plain\"\nbackend = \"openai\"\nurl = \"wss://localhost:\(port)/v1\"\nmodel = \"ava\"",
        ])
        #expect(await eventually(timeout: .seconds(15), every: .milliseconds(50)) { run.failure("tls-to-plain") != nil },
            "the handshake fails within 15 s")
        let healthy = run.events("healthy").count
        #expect(await eventually { run.events("healthy").count > healthy + 3 }, "the healthy session keeps receiving")
        #expect(!run.isOver("healthy"))
        #expect(await run.quit() == 0)
        #expect(try run.log("tls-to-plain").events.last.map { if case .failed = $0.kind { true } else { false } } == true)
        #expect(try run.logDifferences("tls-to-plain") == [])
    }
}
