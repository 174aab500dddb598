import ConvEngine
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import Synchronization

/// The simulator's personas over both real wire protocols, on a real socket.
///
/// - ElevenLabs agents at `/v1/convai/conversation` (and `get-signed-url` beside it),
/// - OpenAI Realtime at `/v1/realtime` (GA, or beta with `OpenAI-Beta: realtime=v1`),
///
/// so convtui's transports, and any official SDK given this address as its base URL, run
/// offline. Tests start it in-process on port 0. The agent id (ElevenLabs) or model (OpenAI)
/// picks a persona by name (`ava`, `lina`, …); anything else gets them in turn.
public final class SimServer: Sendable {
    public let options: SimServerOptions
    private let conversations = Atomic<Int>(0)
    private let open = Atomic<Int>(0)
    private let running = Locked<Running?>(nil)
    /// Signed-URL signatures handed out: which agent each is for and when it stops being valid.
    private let signatures = Locked<[String: (agent: String, expires: ContinuousClock.Instant)]>([:])

    private struct Running {
        var task: Task<Void, any Error>
        var port: Int
    }

    public init(options: SimServerOptions = SimServerOptions()) {
        self.options = options
    }

    /// Starts listening and returns the bound port once connections are accepted.
    public func start(handleSignals: Bool = false) async throws -> Int {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let router = makeRouter()
        let webSocketResponder = router.buildResponder()
        let limits = options
        // One connection's messages are bounded (1009 beyond), text must be UTF-8 (1007), and
        // a ``SimConnectionGuard`` enforces the head deadline, masking (1002) and each
        // connection's byte budget in front (the burst takes one message of the largest size).
        let server = HTTPServerBuilder { responder in
            GuardedServerChannel(
                inner: HTTP1WebSocketUpgradeChannel(
                    responder: responder, webSocketResponder: webSocketResponder,
                    configuration: .init(ws: .init(maxFrameSize: limits.maxMessageBytes, validateUTF8: true))),
                headDeadline: .nanoseconds(Int64(limits.headDeadline / .nanoseconds(1))),
                bytesPerSecond: limits.inboundBytesPerSecond, burst: limits.maxMessageBytes + Self.frameOverhead)
        }
        let app = Application(
            router: router,
            server: server,
            configuration: .init(
                address: .hostname(options.host, port: options.port), serverName: "convtui-sim",
                availableConnectionsDelegate: MaximumAvailableConnections(options.maxConnections)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: Logger(label: "convtui.sim-server", factory: { _ in SwiftLogNoOpLogHandler() }))
        let task = Task {
            defer { continuation.finish() }
            try await app.runService(gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [])
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            _ = try await task.value
            throw SimServerError("the server stopped before it was listening")
        }
        running.withLock { $0 = Running(task: task, port: port) }
        return port
    }

    /// Runs until the task is cancelled or a signal arrives (the `sim-server` command).
    public func waitUntilStopped() async throws {
        guard let task = running.withLock({ $0?.task }) else { return }
        try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }

    /// Stops listening and ends every conversation.
    public func stop() async {
        guard let task = running.withLock({ r -> Task<Void, any Error>? in
            defer { r = nil }
            return r?.task
        }) else { return }
        task.cancel()
        _ = try? await task.value
    }

    /// Room in a connection's first burst for a largest message's frame headers and masks.
    private static let frameOverhead = 64 << 10

    /// How many conversations have been opened.
    public var conversationCount: Int { conversations.load(ordering: .relaxed) }

    /// How many conversations are open now: a client's close shows here once its socket is gone.
    public var openConversationCount: Int { open.load(ordering: .relaxed) }

    private func nextConversation() -> Int {
        conversations.wrappingAdd(1, ordering: .relaxed).newValue
    }

    /// Runs one conversation's handler, counted in ``openConversationCount`` while it lasts.
    private func counted(_ body: () async throws -> Void) async rethrows {
        open.wrappingAdd(1, ordering: .relaxed)
        defer { open.wrappingSubtract(1, ordering: .relaxed) }
        try await body()
    }

    private func persona(named name: String?, conversation: Int) -> Persona {
        name.flatMap(Persona.named) ?? Persona.forSession(conversation)
    }

    private func makeRouter() -> Router<BasicWebSocketRequestContext> {
        let router = Router(context: BasicWebSocketRequestContext.self)
        let options = options
        router.get("/v1/convai/conversation/get-signed-url") { request, _ -> Response in
            let key = request.headers[HTTPField.Name("xi-api-key")!] ?? ""
            guard !key.isEmpty, options.elevenLabsAPIKey.map({ $0 == key }) ?? true else {
                return Self.json(.unauthorized, .object([
                    ("detail", .object([("status", "invalid_api_key"), ("message", "Invalid API key")])),
                ]))
            }
            guard let agent = request.uri.queryParameters.get("agent_id"), !agent.isEmpty else {
                return Self.json(.unprocessableContent, .object([("detail", "agent_id is required")]))
            }
            let signature = self.issueSignature(for: agent)
            let host = request.head.authority ?? "\(options.host):\(options.port)"
            let signed = "ws://\(host)/v1/convai/conversation?agent_id=\(URLQuery.escape(agent))&conversation_signature=\(signature)"
            return Self.json(.ok, .object([("signed_url", .string(signed))]))
        }
        router.ws("/v1/convai/conversation") { inbound, outbound, context in
            let number = self.nextConversation()
            let link = SimLink(outbound: outbound, options: options, conversation: number)
            let query = context.request.uri.queryParameters
            let agentId = query.get("agent_id") ?? ""
            let agent = options.elevenLabsAgents[agentId] ?? ElevenLabsSimAgent()
            let persona = self.persona(named: agent.persona ?? agentId, conversation: number)
            let conversation = ElevenLabsSimConversation(
                link: link, persona: persona, agent: agent, options: options, conversationId: "conv_sim_\(number)",
                refusal: self.refusal(agentId: agentId, agent: agent, signature: query.get("conversation_signature")))
            try await self.counted { try await conversation.run(inbound: inbound) }
        }
        // The real service refuses an upgrade without a key, whatever the dialect (with 401;
        // HummingbirdWebSocket answers every refused upgrade with 400).
        router.ws("/v1/realtime", shouldUpgrade: { request, _ in
            guard let auth = request.headers[.authorization], auth.hasPrefix("Bearer "), auth.count > 7 else {
                throw HTTPError(.unauthorized, message: "Missing bearer authentication in header")
            }
            return .upgrade([:])
        }) { inbound, outbound, context in
            let number = self.nextConversation()
            let link = SimLink(outbound: outbound, options: options, conversation: number)
            let persona = self.persona(named: context.request.uri.queryParameters.get("model"), conversation: number)
            let beta = context.request.headers[HTTPField.Name("OpenAI-Beta")!]?.contains("realtime=v1") ?? false
            let conversation = OpenAISimConversation(
                link: link, persona: persona, options: options, dialect: beta ? .beta : .ga, sessionId: "sess_sim_\(number)")
            try await self.counted { try await conversation.run(inbound: inbound) }
        }
        return router
    }
}

extension SimServer {
    /// How long a signed URL is good for: 15 minutes (docs/backends.md, "Wire facts").
    static var signatureLifetime: Duration { .seconds(15 * 60) }

    fileprivate func issueSignature(for agent: String) -> String {
        let signature = "sig_" + (0..<24).map { _ in String("abcdefghijklmnopqrstuvwxyz0123456789".randomElement()!) }.joined()
        signatures.withLock { $0[signature] = (agent, .now + Self.signatureLifetime) }
        return signature
    }

    /// Why a connection to `agentId` is refused with 1008, if it is: a signature this server did
    /// not issue for this agent or that has expired, or a private agent without one.
    fileprivate func refusal(agentId: String, agent: ElevenLabsSimAgent, signature: String?) -> String? {
        if let signature {
            let issued = signatures.withLock { $0[signature] }
            guard let issued, issued.agent == agentId, ContinuousClock.now < issued.expires else {
                return "Authentication failed: invalid or expired conversation_signature"
            }
            return nil
        }
        return agent.requiresAuth ? "Authentication failed: this agent is private; connect with a signed URL" : nil
    }

    fileprivate static func json(_ status: HTTPResponse.Status, _ body: JSONValue) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: JSONWriter.string(body))))
    }
}

/// Why the simulator server could not run.
public struct SimServerError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
