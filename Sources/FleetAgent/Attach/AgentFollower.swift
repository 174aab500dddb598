import ConvEngine
import HummingbirdWSClient
import Logging

/// Follows one agent's watch stream for `convtui attach`: hands every message to its
/// ``AttachCursor`` and reconnects a lost agent with backoff and jitter, from where it stopped.
public struct AgentFollower: Sendable {
    /// Where the agent listens.
    public let address: AgentAddress
    /// `ws://host:port` or `wss://host:port`, without a path.
    public var base: String { address.webSocketBase }
    /// The agent's label in every printed line.
    public var host: String { address.host }
    private let token: String
    private let policy: ReconnectPolicy
    /// How long an agent may leave a ping unanswered before its connection counts as lost.
    private let silenceTimeout: Duration
    /// The first sequence number wanted on the first connection (nil: only what comes next).
    private let from: Int?
    private let emit: @Sendable ([UInt8]) -> Void

    /// - Parameters:
    ///   - silenceTimeout: a ping goes out every half of it; one still unanswered at the next
    ///     ends the connection (an agent host that vanished without closing it, a partition),
    ///     which is then retried like any lost connection.
    ///   - from: the first sequence number wanted (1: all the agent still holds); nil: only
    ///     what comes next.
    ///   - emit: receives each line to print, without its line end.
    public init(
        address: AgentAddress, token: String, policy: ReconnectPolicy = .init(), silenceTimeout: Duration = .seconds(20), from: Int? = nil,
        emit: @escaping @Sendable ([UInt8]) -> Void
    ) {
        self.address = address
        self.token = token
        self.policy = policy
        self.silenceTimeout = silenceTimeout
        self.from = from
        self.emit = emit
    }

    /// The same, from `address` as an operator writes it (`http://`, `https://`, `ws://` or
    /// `wss://` and `host:port`); nil if it is none of these.
    public init?(
        address: String, token: String, policy: ReconnectPolicy = .init(), silenceTimeout: Duration = .seconds(20), from: Int? = nil,
        emit: @escaping @Sendable ([UInt8]) -> Void
    ) {
        guard let parsed = AgentAddress(address) else { return nil }
        self.init(address: parsed, token: token, policy: policy, silenceTimeout: silenceTimeout, from: from, emit: emit)
    }

    /// Connects and reconnects until cancelled. A lost agent is said once per loss; tries back
    /// off from the policy's initial delay to its longest, never giving up.
    public func run() async {
        let cursor = Locked(AttachCursor(host: host, from: from))
        var attempt = 0
        while !Task.isCancelled {
            let (reason, heard, startOver) = await connectOnce(cursor)
            if Task.isCancelled { return }
            if startOver { continue }
            if heard { attempt = 0 }
            if attempt == 0 { emit(cursor.withLock { $0.unreachable(reason: reason) }) }
            attempt += 1
            do {
                try await Task.sleep(for: policy.delay(beforeAttempt: attempt, jitter: .random(in: ReconnectPolicy.jitter)))
            } catch {
                return
            }
        }
    }

    /// One connection: why it ended, whether the agent said hello, whether to start over at once.
    private func connectOnce(_ cursor: Locked<AttachCursor>) async -> (reason: String, heard: Bool, startOver: Bool) {
        let heard = Locked(false)
        let startOver = Locked(false)
        let pingPeriod = silenceTimeout / 2
        let configuration = WebSocketClientConfiguration(
            maxFrameSize: 1 << 25, additionalHeaders: [.authorization: "Bearer \(token)"], autoPing: .enabled(timePeriod: pingPeriod))
        let emit = self.emit
        let lastHeard = Locked(ContinuousClock.now)
        do {
            let close = try await WebSocketClient.connect(
                url: base + "/v1/watch" + cursor.withLock { $0.watchQuery(batched: true) }, configuration: configuration,
                logger: Logger(label: "convtui-attach", factory: { _ in SwiftLogNoOpLogHandler() })
            ) { inbound, outbound, _ in
                for try await message in inbound.messages(maxSize: 1 << 25) {
                    lastHeard.withLock { $0 = .now }
                    guard case .text(let text) = message else { continue }
                    // Batched: several lines to a message, one per line.
                    for line in text.utf8.split(separator: UInt8(ascii: "\n")) {
                        switch cursor.withLock({ $0.take(Array(line)) }) {
                        case .print(let line):
                            heard.withLock { $0 = true }
                            emit(line)
                        case .skip:
                            break
                        case .startOver(let line):
                            emit(line)
                            startOver.withLock { $0 = true }
                            try await outbound.close(.normalClosure, reason: nil)
                            return
                        }
                    }
                }
            }
            // Without a close frame after a quiet spell, the ping loop gave up on the agent.
            let quiet = ContinuousClock.now - lastHeard.withLock { $0 }
            let reason =
                close.map { "closed by the agent (code \($0.closeCode))" }
                ?? (quiet >= pingPeriod ? "silent for \(Self.seconds(quiet)) s: a ping went unanswered" : "connection closed")
            return (reason, heard.withLock { $0 }, startOver.withLock { $0 })
        } catch {
            return ("\(error)", heard.withLock { $0 }, startOver.withLock { $0 })
        }
    }

    /// `12.5`: a duration in seconds, to a tenth.
    private static func seconds(_ duration: Duration) -> String {
        let tenths = Int(duration / .milliseconds(100))
        return "\(tenths / 10).\(tenths % 10)"
    }
}
