import ConvEngine
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOSSL

/// `convtui agent`'s server: a board's sessions over HTTP and WebSocket (docs/fleet.md).
///
/// - `GET /healthz` (no token), `GET /v1/sessions`, `GET /metrics` (Prometheus text),
/// - `GET /v1/watch?from=SEQ&session=N&batch=1` (WebSocket): the event stream (``EventJournal``),
/// - `POST /v1/sessions/{n}/{action}`: control (``ControlRequest``), control token only.
///
/// Every request but `/healthz` needs `Authorization: Bearer TOKEN` (``AccessTokens``).
/// Handlers run on Swift tasks, never on the sessions' threads; a session's events reach a
/// watcher through its bounded backlog, so a slow watcher never slows a session.
public final class AgentServer: Sendable {
    public let board: SessionBoard
    public let journal: EventJournal
    public let metrics: AgentMetrics
    public let options: AgentOptions
    private let tokens: AccessTokens
    /// Each session's log header, sent to a watcher before its events.
    private let headers: [SessionLogHeader]
    /// Tells watchers whether a reconnect reached the same agent process (sequence numbers
    /// start again at 1 in a new one).
    public let instance: String
    private let running = Locked<Task<Void, any Error>?>(nil)

    /// - Parameter instance: the id of an agent process serving the same journal again (tests
    ///   of a watcher's resume); nil makes a new one.
    public init(
        board: SessionBoard, journal: EventJournal, metrics: AgentMetrics, tokens: AccessTokens, options: AgentOptions, instance: String? = nil
    ) {
        self.board = board
        self.journal = journal
        self.metrics = metrics
        self.tokens = tokens
        self.options = options
        headers = board.watchHeaders()
        self.instance = instance ?? String(UInt64.random(in: 1...UInt64.max), radix: 36)
    }

    /// Starts listening; returns the bound port once connections are accepted.
    public func start() async throws -> Int {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let router = makeRouter()
        let configuration = HTTP1WebSocketUpgradeChannel.Configuration(
            ws: .init(maxFrameSize: options.maxMessageBytes, autoPing: .enabled(timePeriod: .seconds(30)), validateUTF8: true))
        var server = HTTPServerBuilder.http1WebSocketUpgrade(webSocketRouter: router, configuration: configuration)
        if let files = options.tls {
            server = try .tls(server, tlsConfiguration: Self.tlsConfiguration(files))
        }
        let app = Application(
            router: router,
            server: server,
            configuration: .init(
                address: .hostname(options.host, port: options.port), serverName: "convtui-agent",
                availableConnectionsDelegate: MaximumAvailableConnections(options.maxConnections)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: Logger(label: "convtui.agent", factory: { _ in SwiftLogNoOpLogHandler() }))
        let task = Task {
            defer { continuation.finish() }
            try await app.runService(gracefulShutdownSignals: [])
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            _ = try await task.value
            throw AgentError("the server stopped before it was listening")
        }
        running.withLock { $0 = task }
        return port
    }

    /// Stops listening and closes every connection.
    public func stop() async {
        guard let task = running.withLock({ r -> Task<Void, any Error>? in
            defer { r = nil }
            return r
        }) else { return }
        task.cancel()
        _ = try? await task.value
    }

    static func tlsConfiguration(_ files: AgentOptions.TLSFiles) throws -> TLSConfiguration {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(files.certificate).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: files.key, format: .pem)
            return TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        } catch {
            throw AgentError("cannot load the TLS certificate or key: \(error)")
        }
    }

    private func makeRouter() -> Router<AgentRequestContext> {
        let router = Router(context: AgentRequestContext.self)
        router.get("/healthz") { _, _ in
            Self.json(.ok, .object([("status", "ok"), ("sessions", .int(self.board.sessions.count))]))
        }
        router.get("/v1/sessions") { request, _ in
            if let refusal = self.refusal(request, control: false) { return refusal }
            return Self.json(.ok, self.board.fleetJSON())
        }
        router.get("/metrics") { request, _ in
            if let refusal = self.refusal(request, control: false) { return refusal }
            let body = self.metrics.scrape(self.board, journal: self.journal)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }
        router.post("/v1/sessions/:session/:action") { request, context in
            if let refusal = self.refusal(request, control: true) { return refusal }
            return await self.control(request, context: context)
        }
        router.ws("/v1/watch", shouldUpgrade: { request, _ in
            guard self.tokens.role(authorization: request.headers[.authorization]) != nil else {
                throw HTTPError(.unauthorized, message: "missing or wrong bearer token")
            }
            if case .failure(let problem) = self.watchScope(request.uri.queryParameters) {
                throw HTTPError(.badRequest, message: problem.description)
            }
            return .upgrade([:])
        }) { inbound, outbound, context in
            guard case .success(let scope) = self.watchScope(context.request.uri.queryParameters) else { return }
            let stream = WatchStream(
                subscription: self.journal.watch(from: scope.from, session: scope.session, limits: self.options.watchLimits, readLogs: scope.logs),
                headers: self.headers.filter { header in scope.session.map { $0 == header.sessionNumber } ?? true }, logs: self.board.logSources(),
                instance: self.instance,
                metrics: self.metrics, cutGrace: self.options.cutGrace, sendBuffer: self.options.watchSendBuffer, batches: scope.batches)
            try await stream.run(inbound: inbound, outbound: outbound, channel: context.requestContext.channel)
        }
        return router
    }

    /// `from`, `session` and `batch` of a watch request, checked.
    private func watchScope(_ query: Hummingbird.Parameters) -> Result<(from: Int?, session: Int?, batches: Bool, logs: Bool), AgentError> {
        var from: Int?
        if let text = query.get("from") {
            guard let value = Int(text), value >= 0 else { return .failure(AgentError("from must be a sequence number")) }
            from = value
        }
        var session: Int?
        if let selector = query.get("session") {
            guard let found = board.session(selector) else { return .failure(AgentError("no session \(TextSanitizer.sanitize(selector))")) }
            session = found.number
        }
        var batches = false
        if let text = query.get("batch") {
            guard text == "0" || text == "1" else { return .failure(AgentError("batch must be 0 or 1")) }
            batches = text == "1"
        }
        var logs = true
        if let text = query.get("logs") {
            guard text == "0" || text == "1" else { return .failure(AgentError("logs must be 0 or 1")) }
            logs = text == "1"
        }
        return .success((from, session, batches, logs))
    }

    /// The reply refusing `request`, if its token does not allow it.
    private func refusal(_ request: Request, control: Bool) -> Response? {
        guard let role = tokens.role(authorization: request.headers[.authorization]) else {
            var response = Self.json(.unauthorized, .object([("error", "missing or wrong bearer token")]))
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        guard !control || role.mayControl else {
            return Self.json(.forbidden, .object([("error", "this token may only read; control needs the control token")]))
        }
        return nil
    }

    /// Carries out `POST /v1/sessions/{n}/{action}`; a refused request changes nothing.
    private func control(_ request: Request, context: AgentRequestContext) async -> Response {
        let selector = context.parameters.get("session") ?? ""
        let action = context.parameters.get("action") ?? ""
        guard let session = board.session(selector) else {
            return Self.json(.notFound, ControlError(.notFound, "no session \(TextSanitizer.sanitize(selector))").json)
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: ControlRequest.maximumBodyBytes)
        } catch {
            return Self.json(.contentTooLarge, ControlError(.tooLarge, "the body is over \(ControlRequest.maximumBodyBytes) bytes").json)
        }
        let parsed: ControlRequest
        switch ControlRequest.parse(action: action, body: Array(buffer: body)) {
        case .success(let request): parsed = request
        case .failure(let error): return Self.json(HTTPResponse.Status(code: error.kind.rawValue), error.json)
        }
        if let problem = await parsed.perform(on: session) {
            return Self.json(HTTPResponse.Status(code: problem.kind.rawValue), problem.json)
        }
        return Self.json(.ok, .object([
            ("ok", true), ("session", .int(session.number)), ("action", .string(action)),
            ("phase", .string(session.snapshot.state.phase.name)),
        ]))
    }

    static func json(_ status: HTTPResponse.Status, _ body: JSONValue) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: JSONWriter.string(body) + "\n")))
    }
}

/// Why the agent could not do something. Never holds a token.
public struct AgentError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
