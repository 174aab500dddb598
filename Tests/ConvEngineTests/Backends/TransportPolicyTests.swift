@testable import ConvEngine
import NIOCore
import NIOPosix
import Testing

/// Close codes, reconnect backoff and the plain-text key rule.
@Suite struct TransportPolicyTests {
    @Test func closeCodes() {
        #expect(CloseCode.outcome(code: 1000, reason: "max_duration_exceeded") == .ended(reason: "closed by server (1000): max_duration_exceeded"))
        #expect(CloseCode.outcome(code: 1002, reason: nil) == .failed(error: "closed by server: protocol error or no user input (1002)", recoverable: false))
        #expect(CloseCode.outcome(code: 1008, reason: "auth") == .failed(error: "rejected by server: bad input or authentication (1008): auth", recoverable: false))
        #expect(CloseCode.outcome(code: 1011, reason: nil) == .failed(error: "server internal error (1011)", recoverable: true))
        #expect(CloseCode.outcome(code: nil, reason: nil) == .failed(error: "connection lost (no close frame)", recoverable: true))
        for code in [1001, 1005, 1006, 1011, 1012, 1013, 1015] {
            guard case .failed(_, true) = CloseCode.outcome(code: code, reason: nil) else {
                Issue.record("\(code) should be recoverable")
                continue
            }
        }
    }

    @Test func backoffDoublesFromHalfASecondUpToEight() {
        let policy = ReconnectPolicy()
        #expect((1...7).map { policy.delay(beforeAttempt: $0) } == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(8), .seconds(8)])
    }

    /// As the official client: each delay times 0.75–1.0, so panes do not retry in lockstep.
    @Test func jitterScalesEachDelayBetweenThreeQuartersAndOne() {
        let policy = ReconnectPolicy()
        #expect(policy.delay(beforeAttempt: 2, jitter: 0.75) == .milliseconds(750))
        #expect(policy.delay(beforeAttempt: 2, jitter: 0.1) == .milliseconds(750))
        #expect(policy.delay(beforeAttempt: 2, jitter: 3) == .seconds(1))
        #expect(ReconnectPolicy.jitter == 0.75...1.0)
    }

    @Test(arguments: [1002, 1008])
    func protocolAndPolicyClosesAreNeverRetried(code: Int) {
        guard case .failed(_, false) = CloseCode.outcome(code: code, reason: "x") else {
            Issue.record("\(code) must not be retried")
            return
        }
    }

    @Test func keysNeverTravelInClearTextToRemoteHosts() {
        #expect(throws: TransportError.self) { try WebSocketEndpoint(url: "ws://example.com/v1", carriesCredential: true).checkSecurity(allowInsecure: false) }
        #expect(throws: Never.self) { try WebSocketEndpoint(url: "ws://example.com/v1", carriesCredential: true).checkSecurity(allowInsecure: true) }
        #expect(throws: Never.self) { try WebSocketEndpoint(url: "ws://127.0.0.1:8765/v1", carriesCredential: true).checkSecurity(allowInsecure: false) }
        #expect(throws: Never.self) { try WebSocketEndpoint(url: "ws://[::1]:8765/v1", carriesCredential: true).checkSecurity(allowInsecure: false) }
        #expect(throws: Never.self) { try WebSocketEndpoint(url: "ws://example.com/v1", carriesCredential: false).checkSecurity(allowInsecure: false) }
        #expect(throws: Never.self) { try WebSocketEndpoint(url: "wss://example.com/v1", carriesCredential: true).checkSecurity(allowInsecure: false) }
    }

    @Test func signedURLTokensStayOutOfDescriptions() {
        let endpoint = WebSocketEndpoint(url: "wss://api.elevenlabs.io/v1/convai/conversation?agent_id=a&conversation_signature=secret")
        #expect(!endpoint.description.contains("secret"))
    }

    @Test func transportsShareOneLoopPerTwoCores() {
        let loops = Array(WebSocketEventLoops.group.makeIterator())
        #expect(loops.count == max(1, System.coreCount / 2))
        #expect(!loops.contains { loop in MultiThreadedEventLoopGroup.singleton.makeIterator().contains { $0 === loop } })
    }
}
