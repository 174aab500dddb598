import ConvEngine
import HummingbirdWebSocket
import NIOWebSocket

/// The server's side of one simulated conversation's socket, with the faults it injects.
final class SimLink: Sendable {
    private let outbound: WebSocketOutboundWriter
    private let options: SimServerOptions
    private let openedAt = ContinuousClock.now
    private let random: Locked<SimRandom>

    struct Dropped: Error {}

    init(outbound: WebSocketOutboundWriter, options: SimServerOptions, conversation: Int) {
        self.outbound = outbound
        self.options = options
        self.random = Locked(SimRandom(seed: options.seed, session: conversation, run: 0))
    }

    /// The client's next message, read on the ``SimReadingExecutor``; coming back from it puts
    /// this conversation behind the tasks already waiting for the cooperative pool.
    func next(_ messages: inout WebSocketInboundMessageStream.AsyncIterator) async throws -> WebSocketMessage? {
        try await withTaskExecutorPreference(SimReadingExecutor.shared) { try await messages.next() }
    }

    /// A client text message's JSON (nil for binary or malformed ones). A large one is parsed on
    /// the ``SimReadingExecutor`` too: seconds of parsing on the cooperative pool would hold up
    /// every other conversation's pings and turns.
    func json(_ message: WebSocketMessage) async -> JSONValue? {
        guard case .text(let text) = message else { return nil }
        guard text.utf8.count > Self.largeMessageBytes else { return try? JSONParser.parse(text) }
        return await withTaskExecutorPreference(SimReadingExecutor.shared) { try? JSONParser.parse(text) }
    }

    /// Above this, a message is parsed off the cooperative pool.
    private static let largeMessageBytes = 64 << 10

    /// True once the stall fault has struck: nothing more is sent.
    var stalled: Bool {
        options.stallAfter.map { openedAt.duration(to: .now) >= $0 } ?? false
    }

    /// True once the drop fault is due.
    var dropDue: Bool {
        options.dropAfter.map { openedAt.duration(to: .now) >= $0 } ?? false
    }

    /// Throws ``Dropped`` once the drop fault is due, which ends the handler with close 1011.
    func checkDrop() throws {
        if dropDue { throw Dropped() }
    }

    /// The drop fault seen from a timer: closes with 1011, as a crashed server's proxy would.
    /// Returns true when the conversation is over.
    func dropIfDue() async throws -> Bool {
        guard dropDue else { return false }
        try await close(code: 1011, reason: "simulated connection drop")
        return true
    }

    func send(_ frame: JSONValue) async throws {
        try await send(text: JSONWriter.string(frame))
    }

    func send(text: String) async throws {
        try checkDrop()
        if stalled { return }
        try await outbound.write(.text(text))
    }

    /// The faults of one agent turn, sent before it: a malformed frame, an error event.
    func turnFaults(error: JSONValue) async throws {
        let (malformed, failing) = random.withLock { r in (r.chance(options.malformedRate), r.chance(options.errorRate)) }
        if malformed { try await send(text: #"{"type":"agent_resp"#) }
        if failing { try await send(error) }
    }

    func close(code: Int, reason: String?) async throws {
        try await outbound.close(WebSocketErrorCode(codeNumber: code), reason: reason)
    }

    func withRandom<T>(_ body: (inout SimRandom) -> T) -> T {
        random.withLock { body(&$0) }
    }
}
