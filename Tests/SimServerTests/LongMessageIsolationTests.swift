import ConvEngine
import Foundation
import NIOCore
import NIOPosix
import NIOWebSocket
import SimServer
import Testing
import TestSupport

/// Every session's socket shares the client event loops: a session receiving a message of
/// megabytes must not make the others wait while it is decoded.
@Suite struct LongMessageIsolationTests {
    /// An ElevenLabs audio message of 24 MiB of base64 (18 MiB of audio).
    static let audioBase64Bytes = 24 << 20

    static func audioMessage() -> String {
        #"{"type":"audio","audio_event":{"audio_base_64":"\#(String(repeating: "A", count: audioBase64Bytes))","event_id":"7"}}"#
    }

    @Test("while one session's 24 MiB message is decoded, another session on the loop goes on hearing its server's pings")
    func longMessageOffTheLoop() async throws {
        // How long this build takes to decode the message, on a thread of its own.
        let decode = await cpuHeavy {
            let message = Self.audioMessage()
            var conversation = ElevenLabsConversation(options: ElevenLabsOptions(agentId: "a"))
            let start = ContinuousClock.now
            _ = conversation.receive(message)
            return start.duration(to: .now)
        }
        var options = SimServerOptions(port: 0, pieceInterval: .milliseconds(10))
        options.pingInterval = .milliseconds(20)
        try await withSimServer(options) { simPort in
            let pings = Locked<[ContinuousClock.Instant]>([])
            let talking = try ConversationSession(
                number: 1, name: "talking", backend: "elevenlabs",
                observer: { event in if case .ping = event.kind { pings.withLock { $0.append(.now) } } },
                makeTransport: elevenLabs(port: simPort))
            talking.start()
            #expect(await eventually { pings.withLock { $0.count } >= 5 })

            // Its own event loop, and the frame made beforehand: the simulator's pings must not
            // wait for this server either.
            let serverLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let message = ByteBuffer(string: Self.audioMessage())
            let server = try await rawWebSocketServer(group: serverLoop) { _ in [WebSocketFrame(fin: true, opcode: .text, data: message)] }
            let port = try #require(server.localAddress?.port)
            // Decoded on the loop, the silence lasts at least the whole decode (0.2 s in a debug
            // build here, against pings every 20 ms), every time; off it, a few ping intervals,
            // unless other tests running alongside load the same loops (the suite's first
            // seconds gave three silences of 0.18–0.35 s in a row on 2026-12-04): so up to six
            // tries, half a second apart. More tries cannot hide decoding on the loop, which
            // fails every one of them.
            var silences: [Duration] = []
            for attempt in 1...6 {
                let received = Locked<(at: ContinuousClock.Instant, kind: SessionEvent.Kind)?>(nil)
                let long = try ConversationSession(
                    number: 1 + attempt, name: "long", backend: "elevenlabs",
                    observer: { event in
                        if case .agentAudio = event.kind { received.withLock { $0 = (.now, event.kind) } }
                    },
                    makeTransport: elevenLabs(port: port))
                let started = ContinuousClock.now
                long.start()
                #expect(await eventually(timeout: .seconds(120)) { received.withLock { $0 } != nil })
                long.stop()
                let arrived = try #require(received.withLock { $0 })
                #expect(arrived.kind == .agentAudio(eventId: 7, bytes: 18 << 20, durationMs: (18 << 20) * 500 / 16000))
                // The longest silence the talking session heard while the long message was on its way.
                let heard = pings.withLock { $0 }.filter { $0 > started && $0 < arrived.at }
                let gaps = zip([started] + heard, heard + [arrived.at]).map { $0.0.duration(to: $0.1) }
                silences.append(gaps.max() ?? .zero)
                if silences.last! < decode * 3 / 4 { break }
                try await Task.sleep(for: .milliseconds(500))
            }
            #expect(
                silences.last! < decode * 3 / 4,
                "the longest silences, \(silences), against a decode of \(decode): decoding held the loop")
            talking.stop()
            try await server.close()
            try await serverLoop.shutdownGracefully()
        }
    }

    @Test("a server that closes (1008) and hangs up while its long message is decoded: the run ends with its close code")
    func closeCodeAfterALongMessage() async throws {
        let message = ByteBuffer(string: Self.audioMessage())
        let server = try await rawWebSocketServer(hangUp: true) { allocator in
            var code = allocator.buffer(capacity: 2)
            code.write(webSocketErrorCode: .policyViolation)
            return [WebSocketFrame(fin: true, opcode: .text, data: message), WebSocketFrame(fin: true, opcode: .connectionClose, data: code)]
        }
        let port = try #require(server.localAddress?.port)
        let audio = Locked(0)
        let session = try ConversationSession(
            number: 1, name: "long", backend: "elevenlabs",
            observer: { event in if case .agentAudio = event.kind { audio.withLock { $0 += 1 } } },
            makeTransport: elevenLabs(port: port))
        session.start()
        #expect(await eventually(timeout: .seconds(120)) { !session.phase.isActive })
        guard case .failed(let error) = session.phase else {
            Issue.record("the run should fail: \(session.phase)")
            return
        }
        #expect(error.contains("1008"), "the server's close code, not a lost connection: \(error)")
        #expect(audio.withLock { $0 } == 1, "the long message was delivered before the end")
        try await server.close()
    }
}
