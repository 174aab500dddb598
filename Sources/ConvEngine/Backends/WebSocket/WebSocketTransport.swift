import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// A ``Transport`` over one WebSocket at a time, for any backend's ``WireConversation``.
///
/// No thread of its own: the socket lives on SwiftNIO's shared event loops, and every frame is
/// handled on its event loop as it is read (``WireConversationHandler``): decoded, its events
/// handed to the session, its replies (a pong, a tool result) written before the next frame is
/// read, with no task switch per frame. A board of hundreds of sessions costs a few threads in
/// all. With a ``ReconnectPolicy`` a recoverable close starts a new conversation within the
/// same run; its new id shows as a new `connected`.
public final class WebSocketTransport<Conversation: WireConversation>: Transport {
    /// What a transport may do beyond its protocol.
    public struct Settings: Sendable {
        public var reconnect: ReconnectPolicy?
        /// Allows a key over plain `ws://` to a non-loopback host.
        public var allowInsecure: Bool
        /// Receives the agent audio the conversation keeps (`--save-audio`, listening in).
        public var agentAudio: (@Sendable (AgentAudio) -> Void)?
        /// The most a connection may take from the TCP connect to the end of the WebSocket
        /// upgrade (TLS included).
        public var handshakeTimeout: Duration
        /// Once the socket is open, the longest the server may stay silent before the run fails
        /// as stalled (recoverable, like a lost connection); nil never gives up. What counts as
        /// hearing from it depends on the protocol (``WireConversation/serverKeepsAlive``).
        public var receiveTimeout: Duration?

        public init(
            reconnect: ReconnectPolicy? = nil, allowInsecure: Bool = false,
            agentAudio: (@Sendable (AgentAudio) -> Void)? = nil, handshakeTimeout: Duration = WebSocketTransport.defaultHandshakeTimeout,
            receiveTimeout: Duration? = WebSocketTransport.defaultReceiveTimeout
        ) {
            self.reconnect = reconnect
            self.allowInsecure = allowInsecure
            self.agentAudio = agentAudio
            self.handshakeTimeout = handshakeTimeout
            self.receiveTimeout = receiveTimeout
        }
    }

    /// Largest message taken from a server; real audio frames are far smaller, but a
    /// 16 MiB frame must still arrive whole.
    public static var maxMessageBytes: Int { 1 << 25 }

    /// A handshake that has not finished by then never will: a server that accepts the TCP
    /// connection but never answers (TLS spoken to a plain port waits for a line end, the
    /// client for a ServerHello) would otherwise leave the session `connecting` for good.
    /// Real servers answer within a second or two, even far away.
    public static var defaultHandshakeTimeout: Duration { .seconds(10) }

    /// A healthy server is never silent this long: ElevenLabs sends a `ping` event every few
    /// seconds, and a quiet OpenAI server answers the WebSocket ping sent after half of it.
    /// Long enough that a slow network or a busy server is not taken for a stalled one, short
    /// enough that a stalled pane does not pass for a live one for more than half a minute.
    public static var defaultReceiveTimeout: Duration { .seconds(30) }

    private let context: TransportContext
    private let endpoint: @Sendable () async throws -> WebSocketEndpoint
    private let makeConversation: @Sendable () -> Conversation
    private let settings: Settings
    private let link = Locked(Link())

    /// The current connection, if any; replaced on every reconnect.
    private struct Link {
        var closed = false
        var connection: WebSocketConnection<Conversation>?
    }

    /// - Parameters:
    ///   - endpoint: where to connect, asked again before every connection (a signed URL is
    ///     fetched fresh each time).
    ///   - makeConversation: the protocol state for one connection.
    public init(
        context: TransportContext, settings: Settings,
        endpoint: @escaping @Sendable () async throws -> WebSocketEndpoint,
        makeConversation: @escaping @Sendable () -> Conversation
    ) {
        self.context = context
        self.settings = settings
        self.endpoint = endpoint
        self.makeConversation = makeConversation
    }

    public func run() async throws -> String {
        try await withTaskCancellationHandler {
            try await connectAndReconnect()
        } onCancel: {
            close()
        }
    }

    private func connectAndReconnect() async throws -> String {
        var attempt = 0
        while true {
            if isClosed { return "closed by client" }
            let target = try await endpoint()
            try target.checkSecurity(allowInsecure: settings.allowInsecure)
            let (end, opened, established) = await connectOnce(to: target)
            if isClosed { return "closed by client" }
            if established { attempt = 0 }
            let outcome: CloseCode.Outcome
            switch end {
            case .closedByClient:
                return "closed by client"
            case .closedByServer(let code, let reason):
                // RFC 6455 §7.1.5: a close frame without a status reads as 1005.
                outcome = CloseCode.outcome(code: code ?? 1005, reason: reason)
            case .dropped:
                outcome = CloseCode.outcome(code: nil, reason: nil)
            case .messageTooBig:
                outcome = CloseCode.outcome(code: 1009, reason: "a message over the \(Self.maxMessageBytes >> 20) MiB limit")
            case .stalled(let timeout):
                outcome = .failed(error: "no message from the server in \(Self.describe(timeout)) (stalled?)", recoverable: true)
            case .failed(let detail):
                let detail = TextSanitizer.sanitize(detail)
                outcome = .failed(error: opened ? "connection lost: \(detail)" : Self.cannotConnect(to: target, detail: detail), recoverable: true)
            }
            switch outcome {
            case .ended(let reason):
                return reason
            case .failed(let error, let recoverable):
                guard recoverable, let policy = settings.reconnect, attempt < policy.maxAttempts else {
                    throw TransportError(error)
                }
                attempt += 1
                context.sink.emit(.serverError(code: "reconnecting", message: "\(error); try \(attempt) of \(policy.maxAttempts)"))
                try await Task.sleep(for: policy.delay(beforeAttempt: attempt, jitter: .random(in: ReconnectPolicy.jitter)))
            }
        }
    }

    /// One connection from connect to close; reports whether the WebSocket opened at all, and
    /// whether the server took the conversation (sent an event that is not an error).
    private func connectOnce(to target: WebSocketEndpoint) async -> (ConnectionEnd, opened: Bool, established: Bool) {
        let address: WebSocketAddress
        do {
            address = try WebSocketAddress(url: target.url)
        } catch {
            return (.failed(error.message), false, false)
        }
        let loop = WebSocketEventLoops.group.next()
        let connection = WebSocketConnection(conversation: makeConversation(), eventLoop: loop)
        let registered = link.withLock { link in
            guard !link.closed else { return false }
            link.connection = connection
            return true
        }
        guard registered else { return (.closedByClient, false, false) }
        // Sends between this connection and the next fail at once instead of writing to a dead socket.
        defer {
            link.withLock { link in
                if link.connection === connection { link.connection = nil }
            }
        }

        let timeout = settings.handshakeTimeout
        let deadline = loop.scheduleTask(in: TimeAmount(timeout)) {
            connection.handshakeExpired { connected in
                guard connected else { return "no TCP connection within \(Self.describe(timeout))" }
                let hint = address.secure ? " (TLS to a plain port?)" : ""
                return "no WebSocket handshake within \(Self.describe(timeout))\(hint)"
            }
        }
        let request = Self.upgradeRequest(to: address, headers: target.headers)
        let (sink, agentAudio, receiveTimeout) = (context.sink, settings.agentAudio, settings.receiveTimeout)
        // The TCP connect gets the whole handshake budget: it is abandoned when the deadline
        // reports the connection as failed.
        ClientBootstrap(group: loop)
            .connectTimeout(TimeAmount(timeout))
            .connect(host: address.host, port: address.port)
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    guard connection.attach(channel) else {
                        channel.close(promise: nil)
                        return
                    }
                    // A channel that closes during the handshake still ends the connection. Once
                    // open, the conversation's handler settles it: after a long message still
                    // being decoded, with the server's close code if one came.
                    channel.closeFuture.whenComplete { _ in
                        if !connection.opened { connection.settle(.failed("connection closed during the WebSocket handshake")) }
                    }
                    do {
                        try Self.configure(channel, address: address, request: request) {
                            WireConversationHandler(connection: connection, sink: sink, agentAudio: agentAudio, receiveTimeout: receiveTimeout)
                        } fail: { reason in
                            connection.settle(.failed(reason))
                        }
                    } catch {
                        connection.settle(.failed(String(describing: error)))
                        channel.close(promise: nil)
                    }
                case .failure(let error):
                    connection.settle(.failed(String(describing: error)))
                }
            }
        // The promise is only ever succeeded.
        let end = (try? await connection.ended.get()) ?? .dropped
        deadline.cancel()
        return (end, connection.opened, connection.established)
    }

    /// Sets up a connected channel for the upgrade: TLS if asked, the HTTP client with the
    /// WebSocket upgrader, and the request. After the upgrade the pipeline is TLS, the frame
    /// codec added by the upgrader, the frame aggregator, and the conversation handler, with
    /// ``WebSocketEndOfInputGuard`` behind TLS.
    private static func configure(
        _ channel: any Channel, address: WebSocketAddress, request: HTTPRequestHead,
        makeHandler: @escaping @Sendable () -> WireConversationHandler<Conversation>,
        fail: @escaping @Sendable (String) -> Void
    ) throws {
        let pipeline = channel.pipeline.syncOperations
        if address.secure {
            try pipeline.addHandler(WebSocketTLS.clientHandler(host: address.host))
        }
        try pipeline.addHandler(WebSocketEndOfInputGuard())
        // Protocol errors are the conversation handler's to answer: it needs their reason.
        let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: maxMessageBytes, automaticErrorHandling: false) { channel, _ in
            channel.eventLoop.makeCompletedFuture {
                let aggregator = NIOWebSocketFrameAggregator(
                    minNonFinalFragmentSize: 1, maxAccumulatedFrameCount: maxFragments, maxAccumulatedFrameSize: maxMessageBytes)
                try channel.pipeline.syncOperations.addHandler(aggregator)
                try channel.pipeline.syncOperations.addHandler(makeHandler())
            }
        }
        try pipeline.addHTTPClientHandlers(
            leftOverBytesStrategy: .forwardBytes,
            withClientUpgrade: (
                upgraders: [upgrader],
                completionHandler: { context in
                    context.pipeline.syncOperations.removeHandler(name: WebSocketHandshakeHandler.name, promise: nil)
                }
            ))
        let handshake = WebSocketHandshakeHandler(request: request, fail: fail)
        try pipeline.addHandler(handshake, name: WebSocketHandshakeHandler.name)
    }

    /// Most fragments one message may come in; real servers send one frame per message.
    private static var maxFragments: Int { 1 << 16 }

    private static func upgradeRequest(to address: WebSocketAddress, headers: HTTPFields) -> HTTPRequestHead {
        var fields = HTTPHeaders()
        fields.add(name: "Host", value: address.hostHeader)
        for field in headers { fields.add(name: field.name.rawName, value: field.value) }
        return HTTPRequestHead(version: .http1_1, method: .GET, uri: address.requestTarget, headers: fields)
    }

    /// One line for a connection that was never made: the host and port, and the reason in
    /// an operator's words (``ConnectFailure``).
    private static func cannotConnect(to target: WebSocketEndpoint, detail: String) -> String {
        guard let address = try? WebSocketAddress(url: target.url) else { return "cannot connect to \(target): \(detail)" }
        return ConnectFailure.describe(host: address.host, port: address.port, detail: detail)
    }

    /// "10 s", or "500 ms" for a fraction of a second.
    static func describe(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return attoseconds == 0 ? "\(seconds) s" : "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000) ms"
    }

    public func send(_ message: OutgoingMessage) async throws {
        guard let connection = link.withLock({ $0.closed ? nil : $0.connection }) else {
            throw TransportError("not connected")
        }
        let (frames, channel) = try connection.encode(message)
        guard let last = frames.last else { return }
        for text in frames.dropLast() {
            channel.write(WireConversationHandler<Conversation>.textFrame(text, allocator: channel.allocator), promise: nil)
        }
        try await channel.writeAndFlush(WireConversationHandler<Conversation>.textFrame(last, allocator: channel.allocator)).get()
    }

    public func close() {
        let connection = link.withLock { link -> WebSocketConnection<Conversation>? in
            if link.closed { return nil }
            link.closed = true
            return link.connection
        }
        connection?.requestClose()
    }

    private var isClosed: Bool { link.withLock { $0.closed } }
}
