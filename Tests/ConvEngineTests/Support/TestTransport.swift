import Glibc
@testable import ConvEngine

/// A transport under the test's control: it connects with a given conversation id, records
/// what is sent, can fail or delay chosen sends, and lets the test inject server events.
final class TestTransport: Transport {
    struct Behavior: Sendable {
        var conversationId = "conv"
        /// 1-based send numbers that throw a transport error.
        var failingSends: Set<Int> = []
        /// Delay inside every send (cancellable, like a real socket write waiting for room).
        var sendDelay: Duration?
        /// Keep running after cancellation and close, like a wedged server connection (for
        /// 10 s, so a test that leaves one behind does not leak it for good).
        var ignoresCancellation = false
    }

    let context: TransportContext
    let behavior: Behavior
    private let state = Locked(State())

    private struct State {
        var sent: [OutgoingMessage] = []
        var sendCount = 0
        var closed = false
        /// Set when the run's task is cancelled (its wait ends without closing).
        var cancelled = false
        /// The run, waiting for a close or a cancel.
        var waiter: CheckedContinuation<Void, Never>?
    }

    init(context: TransportContext, behavior: Behavior) {
        self.context = context
        self.behavior = behavior
    }

    var sent: [OutgoingMessage] { state.withLock { $0.sent } }
    /// Sends that have begun (finished or not).
    var sendsStarted: Int { state.withLock { $0.sendCount } }
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Reports server events as if they came off the wire.
    func inject(_ kinds: SessionEvent.Kind...) {
        context.sink.emit(kinds)
    }

    func run() async throws -> String {
        context.sink.emit(.connected(conversationId: "\(behavior.conversationId)-\(context.run)"))
        guard behavior.ignoresCancellation else {
            // Open until the session closes or cancels it, however long a loaded machine takes
            // (a 10 s limit here ended live sessions under tests that ran longer), and without
            // polling: a session a test leaves live costs nothing while the suite runs.
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let over = state.withLock { s -> Bool in
                        if s.closed || s.cancelled { return true }
                        s.waiter = continuation
                        return false
                    }
                    if over { continuation.resume() }
                }
            } onCancel: {
                wake { $0.cancelled = true }
            }
            try Task.checkCancellation()
            return "closed by client"
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return "test transport timed out"
    }

    func send(_ message: OutgoingMessage) async throws {
        let number = try state.withLock { s in
            guard !s.closed else { throw TransportError("connection closed") }
            s.sendCount += 1
            return s.sendCount
        }
        if behavior.failingSends.contains(number) { throw TransportError("injected failure on send \(number)") }
        if let delay = behavior.sendDelay { try await Task.sleep(for: delay) }
        state.withLock { $0.sent.append(message) }
    }

    func close() {
        wake { $0.closed = true }
    }

    /// Applies `change` and resumes the waiting run, if any.
    private func wake(_ change: (inout State) -> Void) {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            change(&s)
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume()
    }
}

/// Keeps every transport a factory made, by run, so tests can reach into the current one.
final class TestTransports: Sendable {
    private let made = Locked<[TestTransport]>([])
    let behavior: TestTransport.Behavior

    init(_ behavior: TestTransport.Behavior = .init()) {
        self.behavior = behavior
    }

    var factory: TransportFactory {
        { [self] context in
            let transport = TestTransport(context: context, behavior: behavior)
            made.withLock { $0.append(transport) }
            return transport
        }
    }

    var latest: TestTransport? { made.withLock { $0.last } }
    var all: [TestTransport] { made.withLock { $0 } }
}

extension ConversationSession {
    var phase: SessionPhase { snapshot.state.phase }

    /// A session on test transports (and on `clock`: paced audio waits for the test to advance it).
    static func testing(
        _ number: Int = 1, name: String = "test", transports: TestTransports,
        recording: RecordingDirectory? = nil, clock: any Clock<Duration> = ContinuousClock()
    ) throws -> ConversationSession {
        try ConversationSession(
            number: number, name: name, backend: "test", recording: recording, clock: clock,
            makeTransport: transports.factory)
    }
}
