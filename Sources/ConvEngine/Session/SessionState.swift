/// Everything a pane shows about one session, as a pure function of the events so far.
///
/// `applying(_:)` is the one reducer: the live session and the replayer both fold events through
/// it, so a replayed log ends in exactly the state the live run ended in.
public struct SessionState: Sendable, Equatable {
    /// The current run (start) number; 0 before the first start.
    public internal(set) var run = 0
    public internal(set) var backend: String
    public internal(set) var phase: SessionPhase = .idle
    /// The server's id of the current conversation (a reconnect opens a new one).
    public internal(set) var conversationId: String?
    /// Agent audio whose event id is at or below this is stale (sent before the last barge-in).
    public internal(set) var lastInterruptId: Int?
    public internal(set) var transcript: BoundedRing<TranscriptEntry>
    /// The newest events, for the event inspector.
    public internal(set) var recentEvents: BoundedRing<EventRecord>
    public internal(set) var counters = SessionCounters()
    /// The server's last reported round-trip time.
    public internal(set) var lastPingMilliseconds: Int?
    /// Time from the end of the user's last turn to the agent's first output.
    public internal(set) var lastResponseMilliseconds: Int?
    /// When the user's turn ended, until the agent's first output answers it.
    public internal(set) var awaitingResponseSince: Int64?
    public internal(set) var lastError: String?
    public internal(set) var vadScore: Double?
    public internal(set) var rateLimits: String?
    /// Offset of the current run's start, and of its end once it is over.
    public internal(set) var runStartedAt: Int64?
    public internal(set) var runEndedAt: Int64?
    /// Client tool calls the agent waits on, oldest first (answered with a tool result).
    public internal(set) var pendingToolCalls: [PendingCall] = []
    /// MCP tool calls awaiting approval, oldest first (answered with a tool approval).
    public internal(set) var pendingApprovals: [PendingCall] = []
    /// Offset of the newest event.
    public internal(set) var lastEventAt: Int64 = 0
    /// Why the log is not being written right now (nil while it is, or with no log).
    public internal(set) var recordingIssue: String?
    /// How often recording stopped, and how many log lines were lost in all.
    public internal(set) var recordingFailures = 0
    public internal(set) var recordingLostLines = 0
    /// Turn figures: the latest turn, distributions, per-run counts (``SessionMetrics``).
    public internal(set) var metrics = SessionMetrics()
    /// Alerts firing now, oldest first, as the `alert` events left them.
    public internal(set) var alerts: [ActiveAlert] = []
    /// How many alerts were raised in all.
    public internal(set) var alertsRaised = 0
    /// What the alert rules remember between events.
    public internal(set) var alertWatch = AlertWatch()
    /// Offset of the newest event from the server in the current run.
    public internal(set) var lastServerEventAt: Int64?
    /// Whether turns are measured into ``metrics``. Only benchmarks turn it off, to weigh what
    /// measuring costs (`convtui-bench engine-scale --no-metrics`, `convtui-bench fold-cost`).
    public internal(set) var measuresTurns = true

    /// Default transcript tail kept in memory.
    public static let defaultTranscriptCapacity = 500
    /// Default event-stream tail kept for the inspector.
    public static let defaultEventCapacity = 200

    public init(
        backend: String,
        transcriptCapacity: Int = SessionState.defaultTranscriptCapacity,
        eventCapacity: Int = SessionState.defaultEventCapacity,
        measuresTurns: Bool = true
    ) {
        self.backend = backend
        self.measuresTurns = measuresTurns
        transcript = BoundedRing(capacity: transcriptCapacity)
        recentEvents = BoundedRing(capacity: eventCapacity)
    }

    /// How far back a delta looks for the turn it belongs to.
    static let responseLookback = 8

    /// The state after `event`. Events of another run than the current one are ignored,
    /// except a `runStarted` of a newer run, which begins it.
    public func applying(_ event: SessionEvent) -> SessionState {
        var next = self
        next.apply(event)
        return next
    }

    /// In-place form of ``applying(_:)`` for folding long logs.
    public mutating func apply(_ event: SessionEvent) {
        if case .runStarted = event.kind {
            guard event.run > run else { return }
        } else {
            guard event.run == run, run > 0 else { return }
        }
        lastEventAt = max(lastEventAt, event.offset)
        recentEvents.append(EventRecord(event))
        let stale = isStale(event.kind)
        switch event.kind.direction {
        case .incoming:
            counters.eventsIn.accumulate(1)
            lastServerEventAt = event.offset
        case .outgoing: counters.eventsOut.accumulate(1)
        case .local: break
        }
        reduce(event.kind, at: event.offset, run: event.run)
        if measuresTurns, !stale {
            // An array, not an optional: an empty one costs nothing, a 200-byte optional was
            // initialised and copied at every event.
            var completed: [TurnMetrics] = []
            metrics.tracker.observe(event.kind, at: event.offset) { completed.append($0) }
            for turn in completed { metrics.record(turn) }
        }
        if pendingToolCalls.isEmpty, pendingApprovals.isEmpty {
            alertWatch.pendingSince = nil
        } else if alertWatch.pendingSince == nil {
            alertWatch.pendingSince = event.offset
        }
    }

    /// Whether `kind` is agent audio sent before the last barge-in (dropped, not measured).
    private func isStale(_ kind: SessionEvent.Kind) -> Bool {
        guard case .agentAudio(let eventId?, _, _) = kind, let watermark = lastInterruptId else { return false }
        return eventId <= watermark
    }

    private mutating func reduce(_ kind: SessionEvent.Kind, at offset: Int64, run eventRun: Int) {
        switch kind {
        case .runStarted(let backend):
            metrics.beginRun(first: run == 0)
            if run > 0 { alertWatch.reconnect(at: offset) }
            lastServerEventAt = nil
            run = eventRun
            self.backend = backend
            phase = .connecting
            conversationId = nil
            lastInterruptId = nil
            awaitingResponseSince = nil
            lastError = nil
            vadScore = nil
            runStartedAt = offset
            runEndedAt = nil
            pendingToolCalls = []
            pendingApprovals = []
            note(.system, "run \(eventRun) started", at: offset)
        case .connected(let id):
            if conversationId != nil {
                note(.system, "new conversation \(id)", at: offset)
            }
            conversationId = id
            lastInterruptId = nil
            // A new conversation: nothing of the old one waits any more.
            pendingToolCalls = []
            pendingApprovals = []
            phase = .live(.listening)
        case .stopRequested:
            if phase.isActive { phase = .stopping }
        case .ended(let reason):
            finishRun(.ended(reason: reason), at: offset)
            note(.system, "ended: \(reason)", at: offset)
        case .failed(let error):
            counters.errors.accumulate(1)
            countError(at: offset)
            lastError = error
            finishRun(.failed(error: error), at: offset)
            note(.error, "failed: \(error)", at: offset)
        case .userSpeechStarted:
            setActivity(.userSpeaking)
        case .userSpeechStopped:
            awaitingResponseSince = offset
            setActivity(.agentThinking)
        case .userTranscript(let text, let isFinal):
            let status: TranscriptEntry.Status = isFinal ? .final : .tentative
            if let i = transcript.lastIndex(within: 1, where: { $0.pointee.role == .user && $0.pointee.status == .tentative }) {
                transcript[i].text = TextLimit.capped(text, to: TextLimit.transcriptEntryBytes)
                transcript[i].status = status
            } else {
                add(.user, text, status: status, at: offset)
            }
            if isFinal {
                if awaitingResponseSince == nil { awaitingResponseSince = offset }
                setActivity(.agentThinking)
            } else {
                setActivity(.userSpeaking)
            }
        case .userMessage(let text, let origin):
            add(origin == .operator ? .operator : .user, text, status: .final, at: offset)
            awaitingResponseSince = offset
            setActivity(.agentThinking)
        case .contextualUpdate(let text):
            note(.system, "context: \(text)", at: offset)
        case .userAudio(let bytes, let ms):
            counters.audioBytesOut.accumulate(bytes)
            counters.audioMillisecondsOut.accumulate(ms)
        case .toolResult(let id, let result, let isError):
            pendingToolCalls.removeAll { $0.callId == id }
            note(.tool, "\(id) → \(isError ? "error: " : "")\(result)", at: offset)
        case .agentThinking:
            setActivity(.agentThinking)
        case .agentTextDelta(let responseId, let text):
            agentOutput(at: offset)
            if let i = streamingTurn(responseId) {
                // Appended in place (a reply streams in many deltas); once cut, later deltas are dropped.
                if !TextLimit.isCapped(transcript[i].text) {
                    transcript[i].text += text
                    if transcript[i].text.utf8.count > TextLimit.transcriptEntryBytes {
                        transcript[i].text = TextLimit.capped(transcript[i].text, to: TextLimit.transcriptEntryBytes)
                    }
                }
            } else {
                add(.agent, text, status: .streaming, at: offset, responseId: responseId)
            }
            setActivity(.agentSpeaking)
        case .agentTextDone(let responseId, let text):
            if let i = streamingTurn(responseId) {
                if let text { transcript[i].text = TextLimit.capped(text, to: TextLimit.transcriptEntryBytes) }
                transcript[i].status = .final
            } else if let text {
                agentOutput(at: offset)
                add(.agent, text, status: .final, at: offset, responseId: responseId)
            }
        case .agentCorrection(let original, let corrected):
            if let i = transcript.lastIndex(within: TranscriptEntry.correctionLookback, where: { $0.pointee.role == .agent }) {
                var text = transcript[i].text
                if !original.isEmpty, let range = text.firstRange(of: original) {
                    text.replaceSubrange(range, with: corrected)
                    transcript[i].text = TextLimit.capped(text, to: TextLimit.transcriptEntryBytes)
                } else {
                    transcript[i].text = TextLimit.capped(corrected, to: TextLimit.transcriptEntryBytes)
                }
            }
        case .agentAudio(let eventId, let bytes, let ms):
            if let eventId, let watermark = lastInterruptId, eventId <= watermark {
                counters.staleAudioDropped.accumulate(1)
            } else {
                agentOutput(at: offset)
                counters.audioBytesIn.accumulate(bytes)
                counters.audioMillisecondsIn.accumulate(ms)
                setActivity(.agentSpeaking)
            }
        case .agentAudioDone:
            if phase.activity == .agentSpeaking { setActivity(.listening) }
        case .interruption(let eventId):
            counters.interruptions.accumulate(1)
            metrics.runInterruptions += 1
            if let eventId { lastInterruptId = max(lastInterruptId ?? eventId, eventId) }
            if let i = transcript.lastIndex(within: 1, where: { $0.pointee.role == .agent }),
                transcript[i].status == .streaming || transcript[i].status == .final
            {
                transcript[i].status = .interrupted
            }
            setActivity(.userSpeaking)
        case .toolCall(let id, let name, let arguments):
            counters.toolCalls.accumulate(1)
            pendingToolCalls.append(PendingCall(callId: id, name: name, arguments: arguments))
            note(.tool, "\(name)(\(arguments)) [\(id)]", at: offset)
        case .mcpToolCall(let id, let name, let state, let detail):
            pendingApprovals.removeAll { $0.callId == id }
            if state == "awaiting_approval" {
                counters.toolCalls.accumulate(1)
                pendingApprovals.append(PendingCall(callId: id, name: name, arguments: detail))
                note(.tool, "\(name)(\(detail)) [\(id)] awaits approval", at: offset)
            } else if state != "loading" {
                note(.tool, "\(id) \(name) \(state)\(detail.isEmpty ? "" : ": \(detail)")", at: offset)
            }
        case .toolApproval(let id, let approved):
            pendingApprovals.removeAll { $0.callId == id }
            note(.tool, "\(id) \(approved ? "approved" : "denied")", at: offset)
        case .feedback(_, let like):
            note(.system, like ? "feedback: like" : "feedback: dislike", at: offset)
        case .mark(let text):
            note(.system, text.isEmpty ? "◆ mark" : "◆ mark: \(text)", at: offset)
        case .ping(_, let latency):
            counters.pings.accumulate(1)
            if let latency { lastPingMilliseconds = latency }
        case .vadScore(let score):
            vadScore = score
        case .serverError(let code, let message):
            counters.errors.accumulate(1)
            countError(at: offset)
            if code == "reconnecting" { alertWatch.reconnect(at: offset) }
            lastError = "\(code): \(message)"
            // Retries fold into one line whose count moves on ("…; try 3 of 5").
            if code == "reconnecting", let i = transcript.lastIndex(within: 1, where: { $0.pointee.role == .error }),
                transcript[i].text.hasPrefix("reconnecting: ")
            {
                transcript[i].text = "\(code): \(message)"
            } else {
                note(.error, "\(code): \(message)", at: offset)
            }
        case .rateLimits(let summary):
            rateLimits = summary
        case .usage(let input, let output):
            counters.inputTokens.accumulate(input)
            counters.outputTokens.accumulate(output)
        case .unknown:
            counters.unknownEvents.accumulate(1)
        case .malformed(let detail):
            counters.errors.accumulate(1)
            countError(at: offset)
            lastError = "malformed event: \(detail)"
        case .recordingStopped(let reason):
            recordingIssue = reason
            recordingFailures += 1
            note(.error, "not recording: \(reason)", at: offset)
        case .recordingResumed(let lost):
            recordingIssue = nil
            recordingLostLines += lost
            note(.system, "recording resumed, \(lost) log lines lost", at: offset)
        case .turnMetrics:
            // Measured again from the events before it (v1 logs have none); kept for the inspector.
            break
        case .alert(let rule, let raised, let reason):
            alerts.removeAll { $0.rule == rule }
            if raised {
                alerts.append(ActiveAlert(rule: rule, since: offset, reason: reason, run: eventRun))
                alertsRaised += 1
                note(.error, "alert \(rule): \(reason)", at: offset)
            }
        }
    }

    /// `event` as a record that stands alone, for readers that see one line at a time (a log
    /// line, headless stdout): an `agent_text_done` that keeps the streamed text (`text: null`)
    /// carries the text streamed so far, which is what folding it would keep. Call it before
    /// folding the event.
    public func selfContained(_ event: SessionEvent) -> SessionEvent {
        guard Self.needsText(event.kind), case .agentTextDone(let responseId, _) = event.kind,
            let i = streamingTurn(responseId)
        else { return event }
        return SessionEvent(offset: event.offset, run: event.run, kind: .agentTextDone(responseId: responseId, text: transcript[i].text))
    }

    /// Whether `kind` is an `agent_text_done` that leaves its text to the streamed deltas.
    public static func needsText(_ kind: SessionEvent.Kind) -> Bool {
        if case .agentTextDone(_, nil) = kind { true } else { false }
    }

    private func streamingTurn(_ responseId: String) -> Int? {
        transcript.lastIndex(within: SessionState.responseLookback) {
            $0.pointee.role == .agent && $0.pointee.status == .streaming && $0.pointee.responseId == responseId
        }
    }

    private mutating func agentOutput(at offset: Int64) {
        if let since = awaitingResponseSince {
            lastResponseMilliseconds = Int((offset - since) / 1000)
            awaitingResponseSince = nil
        }
    }

    private mutating func countError(at offset: Int64) {
        metrics.runErrors += 1
        alertWatch.error(at: offset)
    }

    private mutating func setActivity(_ activity: SessionPhase.Activity) {
        if phase.isLive { phase = .live(activity) }
    }

    private mutating func finishRun(_ end: SessionPhase, at offset: Int64) {
        guard phase.isActive else { return }
        phase = end
        runEndedAt = offset
        awaitingResponseSince = nil
        pendingToolCalls = []
        pendingApprovals = []
        for i in transcript.indices.reversed().prefix(SessionState.responseLookback)
        where transcript[i].status == .streaming || transcript[i].status == .tentative {
            transcript[i].status = .final
        }
    }

    private mutating func add(
        _ role: TranscriptEntry.Role, _ text: String, status: TranscriptEntry.Status, at offset: Int64,
        responseId: String? = nil
    ) {
        transcript.append(
            TranscriptEntry(
                sequence: transcript.totalAppended + 1, role: role, text: TextLimit.capped(text, to: TextLimit.transcriptEntryBytes),
                status: status, offset: offset,
                responseId: responseId))
    }

    private mutating func note(_ role: TranscriptEntry.Role, _ text: String, at offset: Int64) {
        add(role, text, status: .final, at: offset)
    }
}

extension TranscriptEntry {
    /// How far back a correction looks for the agent turn it corrects.
    static let correctionLookback = 16
}
