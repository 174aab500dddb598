@testable import ConvEngine
import Dispatch
import Foundation
import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing
import TestSupport

/// The WebSocket handler's timers, on a testing event loop whose time the test moves: the
/// receive timeout counts the server's silence, not the time this side spends decoding (a long
/// message decoded off the loop pauses reading), stopping does not wait for that decode, and
/// the socket closes within a second of our close frame even when the server never takes it.
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
        mutating func encode(_ message: OutgoingMessage) -> [String] { ["sent"] }
    }

    /// A server that stopped reading: what is written to it is never taken (until the socket
    /// closes, when it fails, as a closed socket does).
    private final class UnreadPeer: ChannelOutboundHandler {
        typealias OutboundIn = WebSocketFrame
        private var held: [EventLoopPromise<Void>] = []
        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            if let promise { held.append(promise) }
        }
        func flush(context: ChannelHandlerContext) {}
        func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
            for write in held { write.fail(ChannelError.ioOnClosedChannel) }
            held = []
            context.close(mode: mode, promise: promise)
        }
    }

    private typealias Handler = WireConversationHandler<GatedConversation>

    /// A connected testing channel with the handler on it (behind `peer`, when given).
    private struct Rig {
        let loop = NIOAsyncTestingEventLoop()
        let channel: NIOAsyncTestingChannel
        let gate = Gate()
        let connection: WebSocketConnection<GatedConversation>
        let delivered = Locked<[SessionEvent.Kind]>([])

        init(receiveTimeout: Duration?, peer: UnreadPeer? = nil) async throws {
            channel = NIOAsyncTestingChannel(loop: loop)
            connection = WebSocketConnection(conversation: GatedConversation(gate: gate), eventLoop: loop)
            #expect(connection.attach(channel))
            try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9))
            if let peer { try await channel.pipeline.addHandler(peer) }
            let delivered = delivered
            let sink = EventSink { kinds in delivered.withLock { $0 += kinds } }
            try await channel.pipeline.addHandler(Handler(connection: connection, sink: sink, agentAudio: nil, receiveTimeout: receiveTimeout))
        }

        /// Sends a message long enough to be decoded off the loop; its decoding waits at the gate.
        func sendLongMessage() async throws {
            let text = ByteBuffer(repeating: UInt8(ascii: "a"), count: Handler.offloadBytes)
            try await channel.writeInbound(WebSocketFrame(fin: true, opcode: .text, data: text))
        }

        func decodedLongMessage() async -> Bool {
            await eventually { delivered.withLock { $0 } == [.unknown(type: "decoded \(Handler.offloadBytes)")] }
        }
    }

    @Test("a decode off the loop longer than the receive timeout is not the server's silence; silence after it still is")
    func decodingElsewhereIsNotSilence() async throws {
        let timeout = Duration.seconds(8)
        let rig = try await Rig(receiveTimeout: timeout)
        try await rig.sendLongMessage()
        // The decode is held at the gate for over a timeout and a half of the loop's time, and
        // ends between two checks (they come every 2 s).
        await rig.loop.advanceTime(by: .seconds(13))
        #expect(try await rig.channel.readOutbound(as: WebSocketFrame.self) == nil, "no close frame while decoding")
        #expect(rig.channel.isActive, "the socket stays open while its message is decoded")

        rig.gate.open()
        #expect(await rig.decodedLongMessage())
        // From the decode's end (13 s) a whole timeout of silence is a stall: not at 20 s (the
        // fourth check after it), at 22 s (between one and 1.25 timeouts).
        await rig.loop.advanceTime(by: .seconds(7))
        #expect(rig.channel.isActive, "seven seconds after the decode, the server has not been silent for a timeout")
        await rig.loop.advanceTime(by: .seconds(2))
        let close = try #require(try await rig.channel.readOutbound(as: WebSocketFrame.self), "a close frame once the server is silent")
        #expect(close.opcode == .connectionClose)
        try #require(!rig.channel.isActive)
        #expect(try await rig.connection.ended.get() == .stalled(timeout))
        try await rig.loop.shutdownGracefully()
    }

    @Test("stopping a connection does not wait for a long message being decoded")
    func stopDoesNotWaitForADecode() async throws {
        let rig = try await Rig(receiveTimeout: nil)
        try await rig.sendLongMessage()
        let stopped = Locked(false)
        let connection = rig.connection
        Thread {
            connection.requestClose()
            stopped.withLock { $0 = true }
        }.start()
        let prompt = await eventually { stopped.withLock { $0 } }
        rig.gate.open()
        #expect(prompt, "stop() returned while the decode was still held")
        let close = try await rig.channel.waitForOutboundWrite(as: WebSocketFrame.self)
        #expect(close.opcode == .connectionClose, "and the closing handshake began")
        try await rig.loop.shutdownGracefully()
    }

    @Test("answering a server's close, the socket closes within a second even if the server never takes our frame; nothing is sent after it")
    func answeredCloseIsBounded() async throws {
        let rig = try await Rig(receiveTimeout: nil, peer: UnreadPeer())
        var data = ByteBuffer()
        data.write(webSocketErrorCode: .normalClosure)
        try await rig.channel.writeInbound(WebSocketFrame(fin: true, opcode: .connectionClose, data: data))
        #expect(throws: TransportError("not connected"), "no data frame after our close frame") {
            _ = try rig.connection.encode(.userText("too late"))
        }
        await rig.loop.advanceTime(by: .milliseconds(900))
        #expect(rig.channel.isActive, "the server has a second to take the frame")
        await rig.loop.advanceTime(by: .milliseconds(200))
        try #require(!rig.channel.isActive, "then the socket closes")
        #expect(try await rig.connection.ended.get() == .closedByServer(code: 1000, reason: nil))
        try await rig.loop.shutdownGracefully()
    }
}
