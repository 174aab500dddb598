import ConvEngine
import SimServer
import Testing
import TestSupport

/// A WebSocket handshake that never finishes fails its session with a reason once the
/// deadline passes, instead of leaving it `connecting`, and touches no other session.
@Suite struct HandshakeDeadlineTests {
    @Test func tlsToAPlainPortFailsAtTheDeadline() async throws {
        try await withSimServer { port in
            let (healthy, healthyLog) = try makeSession(number: 1, name: "plain", backend: "elevenlabs", factory: elevenLabs(port: port))
            healthy.start()
            #expect(await eventually { healthy.phase.isLive })

            // The plain server waits for a line end, the TLS client for a ServerHello.
            let tls = ElevenLabsTransport.factory(
                ElevenLabsOptions(baseURL: "wss://127.0.0.1:\(port)", agentId: "echo"),
                settings: .init(handshakeTimeout: .seconds(1)))
            let (session, _) = try makeSession(number: 2, name: "tls", backend: "elevenlabs", factory: tls)
            let started = ContinuousClock.now
            session.start()
            #expect(await eventually { !session.phase.isActive })
            let elapsed = ContinuousClock.now - started
            guard case .failed(let error) = session.phase else {
                Issue.record("expected a failure, got \(session.phase)")
                return
            }
            #expect(error.hasPrefix("cannot connect to 127.0.0.1:\(port): "))
            #expect(error.hasSuffix("no WebSocket handshake within 1 s (TLS to a plain port?)"))
            // The reason names the 1 s deadline; the bound shows it was not the 10 s default, with
            // room for a loaded machine.
            #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(9), "failed after \(elapsed)")

            try await healthy.sendText("still here?")
            #expect(await eventually { healthyLog.agentTexts.contains { $0.contains("still here?") } })
            #expect(healthy.phase.isLive)
            healthy.stop()
        }
    }
}
