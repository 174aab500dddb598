import ConvEngine
import FleetAgent
import Testing
import TestSupport

@Suite("Agent HTTP API on loopback")
struct AgentHTTPTests {
    @Test("/healthz answers without a token; the session list needs one")
    func healthAndSessions() async throws {
        try await withAgent { _, port in
            let anonymous = LoopbackHTTP(port: port)
            #expect(try await anonymous.get("/healthz").status == 200)
            let refused = try await anonymous.get("/v1/sessions")
            #expect(refused.status == 401)
            #expect(refused.headers["www-authenticate"] == "Bearer")
            #expect(!refused.body.contains(TestTokens.control))
            let wrong = LoopbackHTTP(port: port, token: TestTokens.control + "x")
            #expect(try await wrong.get("/v1/sessions").status == 401)
            let reader = LoopbackHTTP(port: port, token: TestTokens.readOnly)
            let listed = try await reader.get("/v1/sessions")
            #expect(listed.status == 200)
            let json = try JSONParser.parse(listed.body)
            let sessions = try #require(json["sessions"]?.arrayValue)
            #expect(sessions.count == 2)
            #expect(sessions[0]["number"]?.intValue == 1)
            #expect(sessions[0]["backend"]?.stringValue == "sim")
            #expect(sessions[0]["phase"]?.stringValue == "idle")
        }
    }

    @Test("control: the control token starts and stops a session; a read-only token is refused and changes nothing")
    func control() async throws {
        try await withAgent { server, port in
            let reader = LoopbackHTTP(port: port, token: TestTokens.readOnly)
            let refused = try await reader.post("/v1/sessions/1/start")
            #expect(refused.status == 403)
            #expect(server.board.sessions[0].snapshot.state.phase == .idle)
            let controller = LoopbackHTTP(port: port, token: TestTokens.control)
            let started = try await controller.post("/v1/sessions/1/start")
            #expect(started.status == 200, "\(started.body)")
            #expect(server.board.sessions[0].snapshot.state.run == 1)
            #expect(await eventually { server.board.sessions[0].snapshot.state.phase.isLive })
            let sent = try await controller.post("/v1/sessions/ava/send", body: #"{"text":"hello agent"}"#)
            #expect(sent.status == 200, "\(sent.body)")
            #expect(server.board.sessions[0].snapshot.state.transcript.contains { $0.text == "hello agent" })
            let stopped = try await controller.post("/v1/sessions/1/stop")
            #expect(stopped.status == 200)
            #expect(try await controller.post("/v1/sessions/1/stop").status == 409)
        }
    }

    @Test("a malformed body, an unknown session or action and a huge body get a JSON error and change nothing")
    func refusals() async throws {
        try await withAgent { server, port in
            let controller = LoopbackHTTP(port: port, token: TestTokens.control)
            let malformed = try await controller.post("/v1/sessions/1/send", body: #"{"text":"#)
            #expect(malformed.status == 400)
            #expect(try JSONParser.parse(malformed.body)["error"]?.stringValue != nil)
            #expect(try await controller.post("/v1/sessions/1/send", body: #"{"txt":"x"}"#).status == 400)
            #expect(try await controller.post("/v1/sessions/9/start").status == 404)
            #expect(try await controller.post("/v1/sessions/1/explode").status == 404)
            let huge = String(repeating: "a", count: ControlRequest.maximumBodyBytes + 10)
            let tooLarge = try await controller.post("/v1/sessions/1/send", body: #"{"text":""# + huge + #""}"#)
            #expect(tooLarge.status == 413)
            #expect(server.board.sessions.allSatisfy { $0.snapshot.state.run == 0 })
        }
    }

    @Test("/metrics is Prometheus text with sessions by phase and turn latency histograms")
    func metrics() async throws {
        try await withAgent { server, port in
            let reader = LoopbackHTTP(port: port, token: TestTokens.readOnly)
            #expect(try await LoopbackHTTP(port: port).get("/metrics").status == 401)
            server.board.startAll()
            #expect(await eventually(timeout: .seconds(40)) { server.board.sessions.allSatisfy { $0.snapshot.state.metrics.turns >= 1 } })
            let scraped = try await reader.get("/metrics")
            #expect(scraped.status == 200)
            #expect(scraped.headers["content-type"]?.hasPrefix("text/plain") == true)
            #expect(scraped.body.contains(#"convtui_sessions{backend="sim",phase="live"} 2"#))
            #expect(scraped.body.contains("# TYPE convtui_turn_latency_seconds histogram"))
            #expect(scraped.body.contains(#"convtui_turn_latency_seconds_count{backend="sim",stage="response"}"#))
            let eventsIn = server.board.sessions.map(\.snapshot.state.counters.eventsIn).reduce(0, +)
            let line = try #require(scraped.body.split(separator: "\n").first { $0.hasPrefix("convtui_events_in_total{") })
            let value = try #require(Int(line.split(separator: " ").last ?? ""))
            #expect(value > 0 && value <= eventsIn)
        }
    }
}
