import HTTPTypes
import Logging
import WSClient

/// A ``Transport`` over one WebSocket at a time, for any backend's ``WireConversation``.
///
/// No thread of its own: the socket lives on SwiftNIO's shared event loops and the receive
/// loop is a suspended task, so a board of hundreds of sessions costs a few threads in all.
/// Every frame the server sends is decoded in place and its replies (a pong, a tool result)
/// go out before the next frame is read. With a ``ReconnectPolicy`` a recoverable close
/// starts a new conversation within the same run; its new id shows as a new `connected`.
public final class WebSocketTransport<Conversation: WireConversation>: Transport {
    /// What a transport may do beyond its protocol.
    public struct Settings: Sendable {
        public var reconnect: ReconnectPolicy?
        /// Allows a key over plain `ws://` to a non-loopback host.
        public var allowInsecure: Bool
        /// Receives the agent audio the conversation keeps (`--save-audio`).
        public var agentAudio: (@Sendable (AudioChunk) -> Void)?

        public init(
            reconnect: ReconnectPolicy? = nil, allowInsecure: Bool = false,
            agentAudio: (@Sendable (AudioChunk) -> Void)? = nil
        ) {
            self.reconnect = reconnect
            self.allowInsecure = allowInsecure
            self.agentAudio = agentAudio
        }
    }

    /// Largest message taken from a server; real audio frames are far smaller, but a
    /// 16 MiB frame must still arrive whole.
    public static var maxMessageBytes: Int { 1 << 25 }

    private let context: TransportContext
    private let endpoint: @Sendable () async throws -> WebSocketEndpoint
    private let makeConversation: @Sendable () -> Conversation
    private let settings: Settings
    private let logger: Logger
    private let link = Locked(Link())

    /// The open connection, if any; replaced on every reconnect.
    private struct Link {
        var closed = false
        var writer: WebSocketOutboundWriter?
        var conversation: Conversation?
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
        // The socket library logs connection details; nothing of it may reach the screen or a log.
        self.logger = Logger(label: "convtui.websocket", factory: { _ in SwiftLogNoOpLogHandler() })
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
            let outcome: CloseCode.Outcome
            do {
                let (frame, opened) = try await connectOnce(to: target)
                if isClosed { return "closed by client" }
                if opened { attempt = 0 }
                outcome = CloseCode.outcome(code: frame.map { Int(UInt16(webSocketErrorCode: $0.closeCode)) }, reason: frame?.reason)
            } catch {
                if isClosed || Task.isCancelled { return "closed by client" }
                outcome = .failed(error: "cannot connect to \(target): \(TextSanitizer.sanitize(String(describing: error)))", recoverable: true)
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
                try await Task.sleep(for: policy.delay(beforeAttempt: attempt))
            }
        }
    }

    /// One connection from open to close; reports whether the socket opened at all.
    private func connectOnce(to target: WebSocketEndpoint) async throws -> (WebSocketCloseFrame?, Bool) {
        let opened = Locked(false)
        let configuration = WebSocketClientConfiguration(
            maxFrameSize: Self.maxMessageBytes, additionalHeaders: target.headers, closeTimeout: .seconds(1))
        // No TLS configuration given: the client then verifies certificates against the system roots.
        let client = WebSocketClient(url: target.url, configuration: configuration, logger: logger) { inbound, outbound, _ in
            opened.withLock { $0 = true }
            try await self.converse(inbound: inbound, outbound: outbound)
        }
        let frame = try await client.run()
        return (frame, opened.withLock { $0 })
    }

    private func converse(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let opening = link.withLock { link -> [String]? in
            guard !link.closed else { return nil }
            var conversation = makeConversation()
            let frames = conversation.opening()
            link.conversation = conversation
            link.writer = outbound
            return frames
        }
        guard let opening else {
            try await outbound.close(.normalClosure, reason: nil)
            return
        }
        // Sends between this connection and the next fail at once instead of writing to a dead socket.
        defer {
            link.withLock { link in
                link.writer = nil
                link.conversation = nil
            }
        }
        for frame in opening { try await outbound.write(.text(frame)) }
        for try await message in inbound.messages(maxSize: Self.maxMessageBytes) {
            let step: WireStep
            switch message {
            case .text(let text):
                step = link.withLock { $0.conversation?.receive(text) } ?? WireStep()
            case .binary(let buffer):
                step = WireStep(events: [.malformed(detail: "unexpected binary frame of \(buffer.readableBytes) bytes")])
            }
            context.sink.emit(step.events)
            if let audio = step.agentAudio { settings.agentAudio?(audio) }
            for reply in step.replies { try await outbound.write(.text(reply)) }
        }
    }

    public func send(_ message: OutgoingMessage) async throws {
        let (frames, writer) = try link.withLock { link throws(TransportError) -> ([String], WebSocketOutboundWriter) in
            guard !link.closed, let writer = link.writer, link.conversation != nil else {
                throw TransportError("not connected")
            }
            return (link.conversation!.encode(message), writer)
        }
        for frame in frames { try await writer.write(.text(frame)) }
    }

    public func close() {
        let writer = link.withLock { link -> WebSocketOutboundWriter? in
            if link.closed { return nil }
            link.closed = true
            return link.writer
        }
        guard let writer else { return }
        Task { try? await writer.close(.normalClosure, reason: nil) }
    }

    private var isClosed: Bool { link.withLock { $0.closed } }
}
