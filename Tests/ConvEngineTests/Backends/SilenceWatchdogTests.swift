@testable import ConvEngine
import Dispatch
import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing
import TestSupport

/// The receive timeout counts the server's silence, not the time this side spends decoding: a
/// long message decoded off the loop pauses reading, and that pause is not the server's.
@Suite struct SilenceWatchdogTests {
    /// Holds each message's decoding until the test opens it.
    private final class Gate: Sendable {
        private let semaphore = DispatchSemaphore(value: 0)
        func open() { semaphore.signal() }
        func pass() { semaphore.wait() }
    }

    /// A conversation whose decoding waits at the gate and then reports the message's length.
    private struct GatedConversation: WireConversation {
        static var serverKeepsAlive: Bool { true }
        let gate: Gate
        mutating func opening() -> [String] { [] }
        mutating func receive(_ text: String) -> WireStep {
            gate.pass()
            return WireStep(events: [.unknown(type: "decoded \(text.utf8.count)")])
        }
        mutating func encode(_ message: OutgoingMessage) -> [String] { [] }
    }

    private typealias Handler = WireConversationHandler<GatedConversation>

    @Test("a decode off the loop longer than the receive timeout is not the server's silence; silence after it still is")
    func decodingElsewhereIsNotSilence() async throws {
        let timeout = Duration.seconds(8)
        let loop = NIOAsyncTestingEventLoop()
        let channel = NIOAsyncTestingChannel(loop: loop)
        let gate = Gate()
        let connection = WebSocketConnection(conversation: GatedConversation(gate: gate), eventLoop: loop)
        #expect(connection.attach(channel))
        let delivered = Locked<[SessionEvent.Kind]>([])
        let sink = EventSink { kinds in delivered.withLock { $0 += kinds } }
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9))
        try await channel.pipeline.addHandler(Handler(connection: connection, sink: sink, agentAudio: nil, receiveTimeout: timeout))

        let long = Handler.offloadBytes
        try await channel.writeInbound(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(repeating: UInt8(ascii: "a"), count: long)))
        // The decode is held at the gate for a timeout and a half of the loop's time.
        await loop.advanceTime(by: .seconds(12))
        #expect(try await channel.readOutbound(as: WebSocketFrame.self) == nil, "no close frame while decoding")
        #expect(channel.isActive, "the socket stays open while its message is decoded")

        gate.open()
        #expect(await eventually { delivered.withLock { $0 } == [.unknown(type: "decoded \(long)")] })
        // From the decode's end, a whole timeout of silence is a stall again.
        await loop.advanceTime(by: .seconds(6))
        #expect(channel.isActive)
        await loop.advanceTime(by: .seconds(2))
        let close = try #require(try await channel.readOutbound(as: WebSocketFrame.self), "a close frame once the server is silent")
        #expect(close.opcode == .connectionClose)
        #expect(!channel.isActive)
        #expect(try await connection.ended.get() == .stalled(timeout))
        try await loop.shutdownGracefully()
    }
}
