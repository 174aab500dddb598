import ConvEngine
import NIOCore
import NIOWebSocket
import Testing
import TestSupport

/// A message over ``WebSocketTransport/maxMessageBytes`` fails the session with a reason.
@Suite struct MessageSizeLimitTests {
    @Test func aFrameOverTheLimitFailsTheSession() async throws {
        let size = WebSocketTransport<ElevenLabsConversation>.maxMessageBytes + 1
        let server = try await Self.serverSendingOneTextFrame(of: size)
        let port = try #require(server.localAddress?.port)
        let (session, _) = try makeSession(backend: "elevenlabs", factory: elevenLabs(port: port))
        session.start()
        #expect(await eventually { !session.phase.isActive })
        guard case .failed(let error) = session.phase else {
            Issue.record("expected a failure, got \(session.phase)")
            try await server.close()
            return
        }
        #expect(error == "message too big (1009): a message over the 32 MiB limit")
        try await server.close()
    }

    /// A server that at once sends one text frame of `size` bytes.
    static func serverSendingOneTextFrame(of size: Int) async throws -> any Channel {
        try await rawWebSocketServer { allocator in
            [WebSocketFrame(fin: true, opcode: .text, data: allocator.buffer(repeating: 0x20, count: size))]
        }
    }
}
