import ConvEngine
import HummingbirdWebSocket
import NIOCore
import NIOWebSocket

/// One watcher's WebSocket: a `watch` line, the log header of each session it follows, then
/// every event line (`{"seq":N,"session":…}`) from its subscription, as text messages: one
/// line each, or with ``batches`` all the lines taken at once in one message, separated by
/// newlines (a message per event cost an agent more than the events themselves: BENCHMARKS.md).
///
/// Lines a lagging watcher lost are said in `{"type":"watch_dropped","audio_events":N,…}`.
/// A watcher cut off for falling behind gets `{"type":"watch_cut","reason":…}` and a close
/// (4008) if it still reads; if its writer is stuck on a socket nobody reads, the socket is
/// closed after the grace period, so it holds neither the agent's memory nor a task.
struct WatchStream {
    let subscription: WatchSubscription
    let headers: [SessionLogHeader]
    /// Where the sessions' logs are, for a past older than the journal's ring.
    let logs: [Int: SessionLogSource]
    let instance: String
    let metrics: AgentMetrics
    let cutGrace: Duration
    /// ``AgentOptions/watchSendBuffer``.
    let sendBuffer: Int
    /// Lines go out several to a message (`batch=1`).
    let batches: Bool

    /// The most bytes of lines one batched message carries (more go in the next one).
    static let batchBytes = 1 << 20

    /// How long a batched watcher's lines gather after a message before the next is made.
    /// Each message costs its agent a timer wake-up, a frame and a loopback `writev` whatever
    /// its size: at 20 ms one watcher cost 4 agents of 250 sessions 16 % more CPU, at 30 ms
    /// about 9 % (`convtui-bench fleet`, BENCHMARKS.md), and an event still reaches a pane in
    /// about 31 ms at the 99th percentile, inside the 50 ms budget.
    static let batchLinger = TimeAmount.milliseconds(30)

    /// The close code for a watcher cut off for falling behind (private use range).
    static let cutCloseCode: UInt16 = 4008

    enum End: Sendable {
        case clientGone
        case cut
    }

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, channel: any Channel) async throws {
        try await channel.setOption(ChannelOptions.socketOption(.so_sndbuf), value: SocketOptionValue(sendBuffer)).get()
        let start = subscription.start
        var hello: [(String, JSONValue)] = [
            ("type", "watch"), ("agent", .string(instance)), ("first", .int(start.first)), ("next", .int(start.next)),
            ("missed", .int(start.missed)),
        ]
        if let requested = start.requested { hello.append(("from", .int(requested))) }
        try await outbound.writeTextMessage(JSONWriter.string(.object(hello)))
        for header in headers { try await outbound.writeTextMessage(JSONWriter.string(header.json)) }
        if let history = subscription.history { try await send(history, to: outbound) }
        let subscription = subscription
        let metrics = metrics
        let grace = cutGrace
        let end = await withTaskGroup(of: End.self) { group in
            group.addTask {
                // The watcher sends nothing we act on; reading keeps pings and its close answered.
                do { for try await _ in inbound.messages(maxSize: 16 << 10) {} } catch {}
                return .clientGone
            }
            if batches {
                let forwarder = BatchedWatchForwarder(channel: channel, subscription: subscription, metrics: metrics)
                group.addTask { await forwarder.run() }
            } else {
                group.addTask { await Self.forward(subscription, to: outbound, metrics: metrics) }
            }
            group.addTask {
                guard await subscription.waitUntilCut() != nil else { return .clientGone }
                // The forwarder says why if the watcher still reads; if it does not, close.
                try? await Task.sleep(for: grace)
                if !Task.isCancelled { channel.close(promise: nil) }
                return .cut
            }
            let first = await group.next() ?? .clientGone
            group.cancelAll()
            return first
        }
        // A cut watcher's socket closed by the grace timer also ends the forwarder, which may
        // finish first: the journal, not the order, says whether it was cut.
        let cut = end == .cut || subscription.cutReason != nil
        subscription.close()
        if cut {
            metrics.watcherLost(droppedAudio: 0, cut: true)
            try? await outbound.close(.unknown(Self.cutCloseCode), reason: "fell behind; resume from the last seq")
        }
    }

    /// Writes the subscription's lines, a message each, until it ends; `.cut` if the watcher
    /// was cut off.
    private static func forward(_ subscription: WatchSubscription, to outbound: WebSocketOutboundWriter, metrics: AgentMetrics) async -> End {
        do {
            while let delivery = await subscription.next(limit: 256) {
                switch delivery {
                case .lines(let lines, let dropped, let total):
                    if let note = droppedNote(dropped, total: total, metrics: metrics) { try await send(note, to: outbound) }
                    for line in lines { try await send(line.framed, to: outbound) }
                case .cut(let reason, _):
                    try await send(cutNote(reason), to: outbound)
                    return .cut
                }
            }
        } catch {}
        return .clientGone
    }

    /// `{"type":"watch_dropped",…}` when audio chunks were dropped for the watcher (counted
    /// in the agent's metrics); nil when none were.
    static func droppedNote(_ dropped: Int, total: Int, metrics: AgentMetrics) -> [UInt8]? {
        guard dropped > 0 else { return nil }
        metrics.watcherLost(droppedAudio: dropped, cut: false)
        var note: [UInt8] = []
        JSONWriter.write(.object([("type", "watch_dropped"), ("audio_events", .int(dropped)), ("audio_events_total", .int(total))]), into: &note)
        return note
    }

    /// `{"type":"watch_cut","reason":…}`: the last message of a watcher cut off for falling behind.
    static func cutNote(_ reason: String) -> [UInt8] {
        var note: [UInt8] = []
        JSONWriter.write(.object([("type", "watch_cut"), ("reason", .string(reason))]), into: &note)
        return note
    }

    /// The requested past older than the journal's ring, read from the sessions' logs (short
    /// blocking reads, on this task, never on an event loop), sent as the live lines are. If a
    /// log cannot give it all, `{"type":"watch_missed","from":SEQ,"events":N,"reason":…}` says
    /// what was skipped, and the stream goes on with the ring.
    private func send(_ history: WatchHistory, to outbound: WebSocketOutboundWriter) async throws {
        let reader = WatchHistoryReader(history, sources: logs)
        while true {
            let lines: [WatchLine]
            do {
                lines = try await reader.next(limit: batches ? 4_096 : 256)
            } catch {
                try await outbound.writeTextMessage(
                    JSONWriter.string(
                        .object([
                            ("type", "watch_missed"), ("from", .int(error.at)), ("events", .int(error.missed)),
                            ("reason", .string(error.reason)),
                        ])))
                return
            }
            if lines.isEmpty { return }
            if batches {
                for message in Self.messages(note: [], lines) { try await Self.send(message, to: outbound) }
            } else {
                for line in lines { try await Self.send(line.framed, to: outbound) }
            }
        }
    }

    /// `note` (if not empty) and `lines`, joined by newlines, in messages of at most
    /// ``batchBytes`` (a longer line alone).
    static func messages(note: [UInt8], _ lines: [WatchLine]) -> [[UInt8]] {
        var messages: [[UInt8]] = []
        var message = note
        message.reserveCapacity(min(batchBytes, lines.reduce(message.count) { $0 + $1.line.count + 24 }))
        for line in lines {
            if !message.isEmpty, message.count + line.line.count + 24 > batchBytes {
                messages.append(message)
                message = []
            }
            if !message.isEmpty { message.append(UInt8(ascii: "\n")) }
            line.writeFramed(into: &message)
        }
        if !message.isEmpty { messages.append(message) }
        return messages
    }

    /// One text message, straight from the bytes (they are JSON this agent wrote: valid UTF-8).
    private static func send(_ bytes: [UInt8], to outbound: WebSocketOutboundWriter) async throws {
        try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(bytes: bytes))))
    }
}
