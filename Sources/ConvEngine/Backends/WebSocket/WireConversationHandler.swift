import Dispatch
import NIOCore
import NIOSSL
import NIOWebSocket

/// Runs one ``WireConversation`` over an open WebSocket, on the channel's event loop.
///
/// Each text message is decoded where it is read: its events go straight to the session's
/// sink (synchronous and lock-protected) and its replies are written at once and flushed once
/// per read batch, so a frame costs no task switch. A long message (``offloadBytes``) is
/// decoded on a worker thread instead, reading paused and later frames held in order until it
/// is done: every session's socket shares the event loop, and none may wait for another's
/// megabytes. It answers pings, does the closing
/// handshake either way, and tells its ``WebSocketConnection`` how the connection ended.
///
/// With a receive timeout it watches for a stalled server: a frame that counts (see
/// ``WireConversation/serverKeepsAlive``) only sets a flag, and a check every quarter of the
/// timeout reads it, so the cost per frame is one store. After half the timeout of silence it
/// pings the server (when pongs count); after the whole timeout, it closes the socket. The
/// run thus fails between one and one and a quarter timeouts after the last frame heard, or
/// after the end of a long message's decode, during which nothing is read.
final class WireConversationHandler<Conversation: WireConversation>: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    /// Asks the handler, through the pipeline, to start the closing handshake.
    struct CloseRequest: Sendable {}

    /// How long to wait for the server's answer to our close frame: a server that never
    /// answers must not keep a stopped session's socket open.
    static var closeTimeout: TimeAmount { .seconds(1) }

    private enum Closing {
        case open
        /// We sent a close frame and wait for the server's.
        case sent
        /// Nothing more to exchange: the socket is closing.
        case closing
    }

    private let connection: WebSocketConnection<Conversation>
    private let sink: EventSink
    private let agentAudio: (@Sendable (AgentAudio) -> Void)?
    private var closing = Closing.open
    /// The first thing known about how the connection ends, reported when the channel closes.
    private var end: ConnectionEnd?
    private var needsFlush = false
    private let receiveTimeout: Duration?
    /// Whether a frame that counts against the receive timeout arrived since the last check.
    private var heard = false
    /// Checks in a row that found nothing heard.
    private var silentChecks = 0
    private var watchdog: RepeatedTask?
    /// A long text message is being decoded on a worker thread.
    private var decodingElsewhere = false
    /// Frames that came while it was, handled in order once it is done.
    private var held = CircularBuffer<WebSocketFrame>()
    /// The channel went inactive: once a decode in flight and what was held are delivered,
    /// the connection's end is reported.
    private var inactive = false

    /// Text messages at least this long are decoded off the event loop: in a debug build a
    /// 16 MiB message took seconds, in a release build tens of milliseconds, either way time
    /// every other session on the loop would have waited.
    static var offloadBytes: Int { 256 << 10 }

    /// Silence checks per receive timeout: the ping goes out at half of them, the socket
    /// closes at all of them.
    private static var checksPerTimeout: Int { 4 }

    init(
        connection: WebSocketConnection<Conversation>, sink: EventSink, agentAudio: (@Sendable (AgentAudio) -> Void)?,
        receiveTimeout: Duration?
    ) {
        self.connection = connection
        self.sink = sink
        self.agentAudio = agentAudio
        self.receiveTimeout = receiveTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard let opening = connection.open() else {
            startClosing(context: context)
            return
        }
        for text in opening { write(text: text, context: context) }
        flushIfNeeded(context: context)
        startWatchdog(context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        watchdog?.cancel()
        watchdog = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if !Conversation.serverKeepsAlive || frame.opcode == .text || frame.opcode == .binary { heard = true }
        // A ping is answered at once; everything else keeps its place behind a long message.
        if decodingElsewhere, frame.opcode != .ping {
            held.append(frame)
            return
        }
        handle(frame, context: context)
    }

    private func handle(_ frame: WebSocketFrame, context: ChannelHandlerContext) {
        switch frame.opcode {
        case .text:
            // Once closing, the session has stopped listening: nothing more to decode.
            guard closing == .open else { return }
            if frame.length >= Self.offloadBytes {
                decodeElsewhere(frame, context: context)
                return
            }
            take(frame.unmaskedData.withUnsafeReadableBytes { connection.receive(bytes: $0) }, context: context)
        case .binary:
            guard closing == .open else { return }
            sink.emit(.malformed(detail: "unexpected binary frame of \(frame.length) bytes"))
        case .ping:
            guard closing == .open else { return }
            write(frame: WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData), context: context)
        case .connectionClose:
            receivedClose(frame, context: context)
        default:
            break
        }
    }

    /// Hands a decoded message's events to the session and writes its replies.
    private func take(_ step: WireStep, context: ChannelHandlerContext) {
        sink.emit(step.events)
        if let audio = step.agentAudio { agentAudio?(audio) }
        // Taking the events may have closed this transport; nothing follows a close frame.
        guard closing == .open else { return }
        for reply in step.replies { write(text: reply, context: context) }
    }

    /// Decodes `frame` on a worker thread (the connection's lock keeps its conversation's
    /// state in order) and comes back to the loop with the result; reading pauses meanwhile,
    /// so at most what was already read waits in ``held``.
    private func decodeElsewhere(_ frame: WebSocketFrame, context: ChannelHandlerContext) {
        decodingElsewhere = true
        try? context.channel.syncOptions?.setOption(ChannelOptions.autoRead, value: false)
        let data = frame.unmaskedData
        let connection = connection
        let loop = context.eventLoop
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: loop)
        DispatchQueue.global().async {
            let step = data.withUnsafeReadableBytes { connection.receive(bytes: $0) }
            loop.execute { bound.value.handler.decoded(step, context: bound.value.context) }
        }
    }

    /// Back on the loop with a long message's result: delivers it, then what was held.
    private func decoded(_ step: WireStep, context: ChannelHandlerContext) {
        decodingElsewhere = false
        // The server's silence is counted from here: reading was paused until now.
        heard = true
        if closing == .open { take(step, context: context) }
        while !decodingElsewhere, let next = held.popFirst() { handle(next, context: context) }
        guard !decodingElsewhere else {
            // Replies to the frames handled meanwhile do not wait for the next long decode.
            flushIfNeeded(context: context)
            return
        }
        if inactive {
            ended()
        } else {
            flushIfNeeded(context: context)
            try? context.channel.syncOptions?.setOption(ChannelOptions.autoRead, value: true)
            context.read()
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded(context: context)
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is CloseRequest {
            startClosing(context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Protocol errors are handled here rather than by NIO's protocol error handler, which
    /// would close the channel before the reason reached this handler.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case NIOWebSocketError.invalidFrameLength, NIOWebSocketFrameAggregator.Error.accumulatedFrameSizeIsTooLarge:
            record(.messageTooBig)
            sendCloseAndClose(code: .messageTooLarge, context: context)
        case is NIOWebSocketError, is NIOWebSocketFrameAggregator.Error:
            record(.failed("WebSocket protocol error: \(error)"))
            sendCloseAndClose(code: .protocolError, context: context)
        case NIOSSLError.uncleanShutdown:
            // A server that drops the socket without a TLS goodbye: the drop itself is the news.
            break
        default:
            record(.failed(String(describing: error)))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        inactive = true
        // What the server sent before it went is the session's, whatever its size.
        if !decodingElsewhere { ended() }
        context.fireChannelInactive()
    }

    private func ended() {
        watchdog?.cancel()
        watchdog = nil
        connection.settle(end ?? .dropped)
    }

    // MARK: Receive timeout

    private func startWatchdog(context: ChannelHandlerContext) {
        guard let timeout = receiveTimeout, closing == .open else { return }
        let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        let interval = TimeAmount.nanoseconds(max(1, nanoseconds / Int64(Self.checksPerTimeout)))
        // The task runs on this channel's event loop, where the handler and its context live.
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        watchdog = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            bound.value.handler.checkSilence(context: bound.value.context, timeout: timeout)
        }
    }

    private func checkSilence(context: ChannelHandlerContext, timeout: Duration) {
        guard closing == .open else { return }
        // While a long message is decoded elsewhere this side is not reading: the pause is ours,
        // not the server's silence, however long the decode takes.
        if heard || decodingElsewhere {
            heard = false
            silentChecks = 0
            return
        }
        silentChecks += 1
        if silentChecks >= Self.checksPerTimeout {
            record(.stalled(timeout))
            // A stalled server may not be reading: the close frame goes out if the socket takes
            // it, and the socket closes now rather than once it is written.
            closing = .closing
            connection.sentClose()
            write(frame: Self.closeFrame(.goingAway, allocator: context.channel.allocator), context: context)
            flushIfNeeded(context: context)
            context.close(promise: nil)
        } else if silentChecks == Self.checksPerTimeout / 2, !Conversation.serverKeepsAlive {
            // RFC 6455 §5.5.2: the server must answer with a pong, which counts as hearing from it.
            write(frame: WebSocketFrame(fin: true, opcode: .ping, maskKey: .random(), data: ByteBuffer()), context: context)
            flushIfNeeded(context: context)
        }
    }

    // MARK: Closing

    /// Our side of the closing handshake: a close frame, then the socket closes when the server
    /// answers or after ``closeTimeout``.
    private func startClosing(context: ChannelHandlerContext) {
        guard closing == .open else { return }
        closing = .sent
        connection.sentClose()
        write(frame: Self.closeFrame(.normalClosure, allocator: context.channel.allocator), context: context)
        flushIfNeeded(context: context)
        let channel = context.channel
        context.eventLoop.scheduleTask(in: Self.closeTimeout) { channel.close(promise: nil) }
    }

    private func receivedClose(_ frame: WebSocketFrame, context: ChannelHandlerContext) {
        var data = frame.unmaskedData
        let code = data.readInteger(as: UInt16.self).map(Int.init)
        let reason = data.readableBytes > 0 ? data.readString(length: data.readableBytes) : nil
        record(.closedByServer(code: code, reason: reason))
        switch closing {
        case .open:
            sendCloseAndClose(code: .normalClosure, context: context)
        case .sent:
            closing = .closing
            context.close(promise: nil)
        case .closing:
            break
        }
    }

    /// Sends a close frame (unless one went out already) and closes the socket once it is written.
    private func sendCloseAndClose(code: WebSocketErrorCode, context: ChannelHandlerContext) {
        guard closing == .open else {
            context.close(promise: nil)
            return
        }
        closing = .closing
        connection.sentClose()
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(Self.closeFrame(code, allocator: context.channel.allocator)), promise: written)
        needsFlush = false
        let channel = context.channel
        written.futureResult.whenComplete { _ in channel.close(promise: nil) }
        // A server that stopped reading never takes the frame: the socket closes anyway.
        context.eventLoop.scheduleTask(in: Self.closeTimeout) { channel.close(promise: nil) }
    }

    private static func closeFrame(_ code: WebSocketErrorCode, allocator: ByteBufferAllocator) -> WebSocketFrame {
        var data = allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: code)
        return WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: data)
    }

    // MARK: Writing

    private func write(text: String, context: ChannelHandlerContext) {
        write(frame: Self.textFrame(text, allocator: context.channel.allocator), context: context)
    }

    private func write(frame: WebSocketFrame, context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(frame), promise: nil)
        needsFlush = true
    }

    private func flushIfNeeded(context: ChannelHandlerContext) {
        guard needsFlush else { return }
        needsFlush = false
        context.flush()
    }

    private func record(_ end: ConnectionEnd) {
        if self.end == nil { self.end = end }
    }

    /// A text frame, masked as every frame from a client must be.
    static func textFrame(_ text: String, allocator: ByteBufferAllocator) -> WebSocketFrame {
        WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: allocator.buffer(string: text))
    }
}
