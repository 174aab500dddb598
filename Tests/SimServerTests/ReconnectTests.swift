import Glibc
import ConvEngine
import NIOCore
import NIOWebSocket
import Testing
import TestSupport

/// Reconnects that end: a server that accepts the socket and then closes it with 1013 at
/// admission is retried a bounded number of times, with jittered delays.
@Suite struct ReconnectTests {
    @Test func aServerClosingWith1013AfterOpenIsRetriedABoundedNumberOfTimes() async throws {
        let server = try await rawWebSocketServer { allocator in
            var data = allocator.buffer(capacity: 2)
            data.write(webSocketErrorCode: .init(codeNumber: 1013))
            return [WebSocketFrame(fin: true, opcode: .connectionClose, data: data)]
        }
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        let events = Locked<[SessionEvent]>([])
        let delay = Duration.milliseconds(200)
        let factory = OpenAIRealtimeTransport.factory(
            OpenAIRealtimeOptions(baseURL: "ws://127.0.0.1:\(port)/v1", model: "echo", apiKey: "sk-test"),
            settings: .init(reconnect: ReconnectPolicy(maxAttempts: 3, initialDelay: delay, maxDelay: delay)))
        let session = try ConversationSession(
            number: 1, name: "busy", backend: "openai", observer: { event in events.withLock { $0.append(event) } }, makeTransport: factory)
        session.start()
        // Four connects, closes and waits take well under a second alone; at the start of a
        // full parallel run on 2 cores they once took over 20 s.
        #expect(await eventually(timeout: .seconds(90)) { !session.snapshot.state.phase.isActive })
        guard case .failed(let error) = session.snapshot.state.phase else {
            Issue.record("expected failure, got \(session.snapshot.state.phase)")
            return
        }
        #expect(error.contains("1013"))
        let retries = events.withLock { $0 }.filter { if case .serverError("reconnecting", _) = $0.kind { true } else { false } }
        #expect(retries.count == 3)
        #expect(retries.last.map { $0.kind.summary.contains("try 3 of 3") } == true)
        // Each wait is the delay times a jitter of 0.75–1.0 (plus the connection's own time).
        for (earlier, later) in zip(retries, retries.dropFirst()) {
            #expect(later.offset - earlier.offset >= 150_000)
        }
    }
}

/// Failures an operator can read.
@Suite struct ConnectFailureTests {
    @Test func aRefusedConnectionIsOneReadableLine() async throws {
        // A port bound but not listening refuses connections, and stays ours: a server closed
        // to free its port may see the port taken by a test running alongside.
        let reserved = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(reserved) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(reserved, $0, length) == 0 && getsockname(reserved, $0, &length) == 0 }
        }
        try #require(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let (session, _) = try makeSession(backend: "openai", factory: openAI(port: port))
        session.start()
        #expect(await eventually { !session.phase.isActive })
        guard case .failed(let error) = session.phase else {
            Issue.record("expected failure, got \(session.phase)")
            return
        }
        // The operator's words first (what a pane shows), the library's own text after them.
        #expect(error.hasPrefix("cannot connect to 127.0.0.1:\(port): connection refused — is the server running? ["), "\(error)")
        let library = error.split(separator: "[", maxSplits: 1).last ?? ""
        #expect(error.hasSuffix("]") && library.lowercased().contains("refused"), "\(error)")
        #expect(!error.contains("\n"))
    }

}
