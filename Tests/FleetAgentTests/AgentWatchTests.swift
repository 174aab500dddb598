import ConvEngine
import FleetAgent
import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import Testing
import TestSupport
import Glibc

/// What a watcher received, in order.
final class Received: Sendable {
    private let lines = Locked<[JSONValue]>([])
    func append(_ value: JSONValue) { lines.withLock { $0.append(value) } }
    var all: [JSONValue] { lines.withLock { $0 } }
    var events: [JSONValue] { all.filter { $0["seq"] != nil } }
    /// WebSocket messages received.
    let messages = Locked(0)
}

/// Watches the agent on `port` from `from` until `enough` says so (or the agent closes).
func watch(
    port: Int, from: Int?, token: String = TestTokens.readOnly, session: Int? = nil, batched: Bool = false, logs: Bool = true,
    until enough: @escaping @Sendable (Received) -> Bool
) async throws -> Received {
    let received = Received()
    var query: [String] = []
    if let from { query.append("from=\(from)") }
    if let session { query.append("session=\(session)") }
    if batched { query.append("batch=1") }
    if !logs { query.append("logs=0") }
    let configuration = WebSocketClientConfiguration(
        maxFrameSize: 1 << 20, additionalHeaders: [.authorization: "Bearer \(token)"])
    try await WebSocketClient.connect(
        url: "ws://127.0.0.1:\(port)/v1/watch?\(query.joined(separator: "&"))", configuration: configuration,
        logger: Logger(label: "watch-test", factory: { _ in SwiftLogNoOpLogHandler() })
    ) { inbound, outbound, _ in
        for try await message in inbound.messages(maxSize: 1 << 20) {
            guard case .text(let text) = message else { continue }
            if !batched { received.append(try JSONParser.parse(text)) }
            // Batched, a message holds one line or several, each a JSON object.
            for line in batched ? text.split(separator: "\n") : [] { received.append(try JSONParser.parse(String(line))) }
            received.messages.withLock { $0 += 1 }
            if enough(received) { break }
        }
        try await outbound.close(.normalClosure, reason: nil)
    }
    return received
}

@Suite("Agent watch stream on loopback")
struct AgentWatchTests {
    @Test("a watcher gets the hello, a log header per session, then every event with consecutive sequence numbers")
    func stream() async throws {
        try await withAgent { server, port in
            server.board.startAll()
            let received = try await watch(port: port, from: 1) { $0.events.count >= 40 }
            let all = received.all
            #expect(all.first?["type"]?.stringValue == "watch")
            #expect(all.first?["agent"]?.stringValue == server.instance)
            let headers = all.filter { $0["format"]?.stringValue == SessionLogHeader.formatName }
            #expect(headers.count == 2)
            #expect(try SessionLogHeader(json: headers[1]).sessionName == server.board.sessions[1].name)
            let sequence = received.events.compactMap { $0["seq"]?.intValue }
            #expect(sequence == Array(1...sequence.count))
            #expect(received.events.first?["type"]?.stringValue == "run_started")
        }
    }

    @Test("a watcher that reconnects from its last sequence number misses nothing and sees nothing twice")
    func resume() async throws {
        try await withAgent { server, port in
            server.board.startAll()
            let first = try await watch(port: port, from: 1) { $0.events.count >= 25 }
            let last = try #require(first.events.last?["seq"]?.intValue)
            let second = try await watch(port: port, from: last + 1) { $0.events.count >= 25 }
            let resumed = second.events.compactMap { $0["seq"]?.intValue }
            #expect(resumed.first == last + 1)
            #expect(resumed == Array((last + 1)...(last + resumed.count)))
            #expect(second.all.first?["missed"]?.intValue == 0)
        }
    }

    @Test("batched (batch=1), a message carries several lines: the same lines, in the same order, in fewer messages")
    func batched() async throws {
        try await withAgent { server, port in
            server.board.startAll()
            try await Task.sleep(for: .milliseconds(300))
            let plain = try await watch(port: port, from: 1) { $0.events.count >= 40 }
            let batched = try await watch(port: port, from: 1, batched: true) { $0.events.count >= 40 }
            let count = min(plain.events.count, batched.events.count)
            #expect(Array(batched.events.prefix(count)) == Array(plain.events.prefix(count)))
            #expect(batched.all.first?["type"]?.stringValue == "watch")
            #expect(batched.messages.withLock { $0 } < batched.all.count, "the agent's memory came in fewer messages than lines")
        }
    }

    @Test(
        "a watcher starting before the ring gets the past from the logs: the lines a watcher from the start got, then live",
        arguments: [false, true])
    func pastFromLogs(batched: Bool) async throws {
        let directory = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withAgent(sessions: 3, capacity: 40, recordIn: directory) { server, port in
            let early = Task { try await watch(port: port, from: 1, batched: batched) { $0.events.count >= 200 } }
            #expect(await eventually { server.journal.watcherCount == 1 })
            server.board.startAll()
            let live = try await early.value.events.prefix(200)
            #expect(await eventually { server.journal.nextSequence > 300 })
            // The log lines of those 200 events are on disk (the writers flush within milliseconds).
            let logs = server.board.logSources()
            #expect(
                await eventually {
                    (1...3).allSatisfy { session in
                        let lines = (try? String(contentsOfFile: logs[session]!.path, encoding: .utf8))?.split(separator: "\n").count ?? 0
                        return lines - 1 >= live.filter { $0["session"]?.intValue == session }.count
                    }
                })
            let late = try await watch(port: port, from: 1, batched: batched) { $0.events.count >= 260 }
            #expect(late.all.first?["first"]?.intValue == 1 && late.all.first?["missed"]?.intValue == 0)
            #expect(Array(late.events.prefix(200)) == Array(live))
            let sequence = late.events.compactMap { $0["seq"]?.intValue }
            let gap = zip(sequence, 1...).first { $0.0 != $0.1 }.map { "\($0.1): \(sequence[max(0, $0.1 - 3)..<min(sequence.count, $0.1 + 3)])" } ?? "none"
            #expect(sequence == Array(1...sequence.count), "the logs' past runs into the ring and the live stream with no gap; first gap at \(gap)")
            let memory = try await watch(port: port, from: 1, batched: batched, logs: false) { $0.events.count >= 10 }
            let hello = try #require(memory.all.first)
            #expect(hello["first"]?.intValue ?? 0 > 1 && hello["missed"]?.intValue == (hello["first"]?.intValue ?? 0) - 1)
            #expect(memory.events.first?["seq"]?.intValue == hello["first"]?.intValue, "logs=0: memory only")
            let one = try await watch(port: port, from: 1, session: 2, batched: batched) { $0.events.count >= 30 }
            #expect(Array(one.events.prefix(30)) == Array(live.filter { $0["session"]?.intValue == 2 }.prefix(30)))
        }
    }

    @Test("a log that cannot be read is reported as missed events, and the stream goes on")
    func pastFromAMissingLog() async throws {
        let directory = makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withAgent(sessions: 2, capacity: 20, recordIn: directory) { server, port in
            server.board.startAll()
            #expect(await eventually { server.journal.nextSequence > 100 })
            try FileManager.default.removeItem(atPath: try #require(server.board.logSources()[1]?.path))
            let late = try await watch(port: port, from: 1) { received in received.events.count >= 40 }
            let missed = try #require(late.all.first { $0["type"]?.stringValue == "watch_missed" })
            #expect(missed["from"]?.intValue ?? 0 >= 1 && missed["events"]?.intValue ?? 0 > 0)
            #expect(missed["reason"]?.stringValue?.contains("session 1") == true)
            #expect(late.events.count >= 40, "the stream went on after the gap")
        }
    }

    @Test("one session's watch carries only its header and events")
    func oneSession() async throws {
        try await withAgent { server, port in
            server.board.startAll()
            let received = try await watch(port: port, from: 1, session: 2) { $0.events.count >= 10 }
            #expect(received.all.filter { $0["format"] != nil }.count == 1)
            #expect(received.events.allSatisfy { $0["session"]?.intValue == 2 })
        }
    }

    @Test("a wrong token or an unknown session is refused before the upgrade")
    func refused() async throws {
        try await withAgent { _, port in
            await #expect(throws: (any Error).self) {
                _ = try await watch(port: port, from: nil, token: "not-the-token-0123456789") { _ in true }
            }
            await #expect(throws: (any Error).self) {
                _ = try await watch(port: port, from: nil, session: 9) { _ in true }
            }
        }
    }
}

@Suite("Agent watch stream: a watcher that stops reading")
struct AgentSlowWatcherTests {
    @Test("is cut off and its socket closed, while the sessions go on at their pace", arguments: ["from=1", "from=1&batch=1"])
    func cutOff(query: String) async throws {
        try await withAgent(sessions: 6, options: { options in
            options.watchLimits = .init(audioLines: 20, audioBytes: 1 << 20, lines: 200, bytes: 1 << 20)
            options.cutGrace = .milliseconds(200)
        }, pace: 0.05) { server, port in
            server.board.startAll()
            let socket = try LoopbackHTTP.silentWatcher(port: port, token: TestTokens.readOnly, query: query)
            defer { close(socket) }
            #expect(await eventually { server.journal.watcherCount == 1 })
            let before = server.journal.nextSequence
            #expect(await eventually(timeout: .seconds(150)) { server.journal.watcherCount == 0 })
            let scraped = try await LoopbackHTTP(port: port, token: TestTokens.readOnly).get("/metrics")
            #expect(scraped.body.contains("convtui_watchers_cut_total 1"))
            #expect(scraped.body.contains("convtui_watch_dropped_audio_total"))
            // The sessions carried on while the watcher was stuck, and still do.
            let cutAt = server.journal.nextSequence
            #expect(cutAt > before)
            #expect(await eventually { server.journal.nextSequence > cutAt + 100 })
        }
    }
}
