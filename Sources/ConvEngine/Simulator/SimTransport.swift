/// The embedded simulator: a lively, deterministic conversation in-process, no network.
///
/// Plays a persona's user and agent turns: tentative then final user transcripts, streamed
/// agent text with audio chunk events, pings with jittered latency, occasional barge-ins
/// (followed by one stale audio chunk the session must drop), tool calls and injected faults.
/// Text the operator sends is answered on the next turn.
public final class SimTransport: Transport {
    private let options: SimOptions
    private let persona: Persona
    private let context: TransportContext
    private let ticker: SimTicker
    private let inbox = Locked(Inbox())

    private struct Inbox {
        var closed = false
        var pending: [String] = []
    }

    /// Bytes in one simulated 250 ms agent audio chunk (16 kHz PCM16 mono).
    static let audioChunkBytes = 8000
    static let audioChunkMilliseconds = 250

    public init(context: TransportContext, options: SimOptions, ticker: SimTicker) {
        self.context = context
        self.options = options
        self.ticker = ticker
        self.persona = options.persona ?? Persona.forSession(context.sessionNumber)
    }

    /// A factory for sessions that use the simulator; sessions given the same ticker share
    /// its timer (see ``SimTicker``).
    public static func factory(_ options: SimOptions, ticker: SimTicker) -> TransportFactory {
        { context in SimTransport(context: context, options: options, ticker: ticker) }
    }

    public func send(_ message: OutgoingMessage) async throws {
        try inbox.withLock { inbox in
            guard !inbox.closed else { throw TransportError("connection closed") }
            switch message {
            case .userText(let text): inbox.pending.append(text)
            case .audioStreamEnded: inbox.pending.append("")
            case .contextualUpdate, .userActivity, .audio, .toolResult, .feedback, .toolApproval: break
            }
        }
    }

    public func close() {
        inbox.withLock { $0.closed = true }
    }

    /// Mutable state of one run of the script.
    private struct Script {
        var random: SimRandom
        let connectedAt: Duration
        var nextPing: Duration
        var pingId = 0
        var audioId = 0
        var responses = 0
        var userLine: Int
        var agentLine: Int
    }

    public func run() async throws -> String {
        var random = SimRandom(seed: options.seed, session: context.sessionNumber, run: context.run)
        try await ticker.sleep(until: ticker.now + scaled(random.jitter(250)))
        try checkOpen()
        let conversationId = "sim_" + String(random.next() & 0xFFFF_FFFF_FFFF, radix: 16)
        let now = ticker.now
        var script = Script(
            random: random, connectedAt: now, nextPing: now + scaled(random.jitter(1500)), userLine: 0, agentLine: 0)
        script.userLine = Int.random(in: 0..<persona.userLines.count, using: &script.random)
        script.agentLine = script.userLine
        context.sink.emit(.connected(conversationId: conversationId))
        while true {
            try await pause(script.random.jitter(600), &script)
            if let typed = takePending() {
                try await agentTurn(answering: typed, &script)
            } else {
                try await userTurn(&script)
                try await agentTurn(answering: nil, &script)
            }
        }
    }

    private func userTurn(_ s: inout Script) async throws {
        let line = persona.userLines[s.userLine % persona.userLines.count]
        s.userLine += 1
        context.sink.emit(.userSpeechStarted)
        let pieces = persona.pieces(of: line, using: &s.random)
        var heard = ""
        for piece in pieces.dropLast() {
            try await pause(s.random.jitter(220), &s)
            heard += piece
            context.sink.emit([.vadScore(Double(s.random.jitter(80, spread: 0.2)) / 100), .userTranscript(text: heard, isFinal: false)])
        }
        try await pause(s.random.jitter(300), &s)
        context.sink.emit([.userTranscript(text: line, isFinal: true), .userSpeechStopped])
    }

    private func agentTurn(answering typed: String?, _ s: inout Script) async throws {
        context.sink.emit(.agentThinking)
        try await pause(s.random.jitter(450), &s)
        if let tool = persona.tool, s.random.chance(options.toolCallRate) {
            let callId = "call_\(s.responses + 1)"
            context.sink.emit(.toolCall(callId: callId, name: tool.name, arguments: tool.arguments))
            try await pause(s.random.jitter(250), &s)
            // Answered, as a configured tool is at once: a demo tool never waits for the operator.
            context.sink.emit(.toolResult(callId: callId, result: #"{"ok":true}"#, isError: false))
        }
        if s.random.chance(options.faults.errorRate) {
            context.sink.emit(.serverError(code: "sim_fault", message: "simulated server error"))
        }
        if s.random.chance(options.faults.malformedRate) {
            context.sink.emit(.malformed(detail: #"simulated frame {"type":"agent_resp"#))
        }
        var reply = persona.agentLines[s.agentLine % persona.agentLines.count]
        s.agentLine += 1
        if let typed {
            let ack = s.random.pick(persona.acknowledgements)
            reply = typed.isEmpty ? "\(ack) I heard your audio. \(reply)" : "\(ack) “\(typed)” \(reply)"
        }
        s.responses += 1
        let responseId = "resp_\(s.responses)"
        let pieces = persona.pieces(of: reply, using: &s.random)
        let bargeInAt = pieces.count > 2 && s.random.chance(options.bargeInRate) ? Int.random(in: 1..<pieces.count, using: &s.random) : nil
        for (i, piece) in pieces.enumerated() {
            if i == bargeInAt {
                // The server announces the interruption, then one chunk it had already queued
                // arrives late: its id is at the watermark, so the session must drop it.
                context.sink.emit([
                    .interruption(eventId: s.audioId),
                    .agentAudio(eventId: s.audioId, bytes: Self.audioChunkBytes, durationMs: Self.audioChunkMilliseconds),
                ])
                return
            }
            var events: [SessionEvent.Kind] = [.agentTextDelta(responseId: responseId, text: piece)]
            if i % 2 == 0 {
                s.audioId += 1
                events.append(.agentAudio(eventId: s.audioId, bytes: Self.audioChunkBytes, durationMs: Self.audioChunkMilliseconds))
            }
            context.sink.emit(events)
            try await pause(s.random.jitter(150), &s)
        }
        context.sink.emit([.agentTextDone(responseId: responseId, text: nil), .agentAudioDone])
    }

    /// Sleeps `milliseconds` (scaled by the pace), answering pings that fall due meanwhile.
    private func pause(_ milliseconds: Int, _ s: inout Script) async throws {
        let until = ticker.now + scaled(milliseconds)
        while true {
            try await ticker.sleep(until: min(until, s.nextPing))
            try checkOpen()
            let now = ticker.now
            if let after = options.faults.disconnectAfter, now - s.connectedAt >= after {
                throw TransportError("connection lost (simulated disconnect after \(after))")
            }
            if now >= s.nextPing {
                s.pingId += 1
                context.sink.emit(.ping(eventId: s.pingId, latencyMs: s.random.jitter(90, spread: 0.5)))
                s.nextPing = now + scaled(s.random.jitter(2000))
            }
            if now >= until { return }
        }
    }

    private func scaled(_ milliseconds: Int) -> Duration {
        .microseconds(Int64(Double(milliseconds) * 1000 * options.pace))
    }

    private func checkOpen() throws {
        try Task.checkCancellation()
        if inbox.withLock({ $0.closed }) { throw CancellationError() }
    }

    private func takePending() -> String? {
        inbox.withLock { $0.pending.isEmpty ? nil : $0.pending.removeFirst() }
    }
}
