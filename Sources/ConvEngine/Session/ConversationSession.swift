/// One live conversation: the engine object behind one pane.
///
/// **All** mutable state is instance state, behind this session's own lock: the worker task, the
/// stop signal (its task's cancellation), the conversation id and interruption watermark (in
/// ``SessionState``), the send gate and the log's outbox. Nothing is shared with any other
/// session, so stopping one can never stop, block or reconfigure another. Its log is written
/// by a shared ``OutboxWriter`` thread, never on the thread that folds the events.
///
/// Every `start()` begins a new *run* with its own number and its own transport; events that
/// arrive late from an earlier run are dropped before they reach the reducer or the log.
public final class ConversationSession: Sendable {
    /// 1-based position on the board.
    public let number: Int
    public let name: String
    /// The latest snapshot, for the screen.
    public let snapshots: SnapshotChannel<SessionSnapshot>
    /// The session log, if this session records.
    public let logPath: String?

    private let backend: String
    private let makeTransport: TransportFactory
    /// Offset 0 is when the session was made; its offsets and paced audio read this clock.
    private let clock: ElapsedClock
    private let observer: (@Sendable (SessionEvent) -> Void)?
    private let idleAudio: IdleAudio
    /// Sees each chunk of user audio this session sent (the panes' meters).
    private let userAudio: (@Sendable (AudioChunk) -> Void)?
    /// The rules that raise and clear this session's alerts.
    public let alertRules: AlertRules
    private let core: Locked<Core>

    private struct Core {
        var state: SessionState
        /// Whether events of the current run are still taken (false from stop onwards).
        var accepting = false
        var worker: Task<Void, Never>?
        var transport: (any Transport)?
        var gate = SendGate()
        var streams: [Int: Task<SendError?, Never>] = [:]
        var nextStreamId = 0
        var log: Outbox?
        var lastOffset: Int64 = 0
    }

    /// Creates an idle session.
    /// - Parameters:
    ///   - recording: where to create this session's log; the session owns and closes it.
    ///   - observer: sees every event the reducer consumed, in order, as the log records it
    ///     (self-contained, ``SessionState/selfContained(_:)``; headless output). It is
    ///     called under the session's lock and must not block.
    ///   - idleAudio: what goes out when no user audio is streamed (trailing silence ends a
    ///     server-VAD turn).
    ///   - clock: what event offsets and paced audio are measured on (tests pass one they advance).
    ///   - userAudio: sees each chunk of user audio once it was sent; must not block.
    public convenience init(
        number: Int, name: String, backend: String,
        transcriptCapacity: Int = SessionState.defaultTranscriptCapacity,
        eventCapacity: Int = SessionState.defaultEventCapacity,
        recording: RecordingDirectory? = nil,
        observer: (@Sendable (SessionEvent) -> Void)? = nil,
        idleAudio: IdleAudio = .nothing,
        alertRules: AlertRules = AlertRules(),
        measuresTurns: Bool = true,
        clock: any Clock<Duration> = ContinuousClock(),
        userAudio: (@Sendable (AudioChunk) -> Void)? = nil,
        changes: ChangeSignal? = nil,
        makeTransport: @escaping TransportFactory
    ) throws(LogWriteError) {
        // Taken before the log's header records the wall-clock time of offset 0.
        let elapsed = ElapsedClock(clock)
        let log = try recording?.createLog(
            number: number, name: name, backend: backend, transcriptCapacity: transcriptCapacity, eventCapacity: eventCapacity)
        self.init(
            number: number, name: name, backend: backend, transcriptCapacity: transcriptCapacity, eventCapacity: eventCapacity,
            log: log.map { LogDestination(sink: $0, path: $0.path, writer: recording!.writers.assign()) },
            observer: observer, idleAudio: idleAudio, alertRules: alertRules, measuresTurns: measuresTurns, clock: elapsed,
            userAudio: userAudio, changes: changes,
            makeTransport: makeTransport)
    }

    /// Where a session's log lines go: a sink written by a writer thread through an outbox.
    struct LogDestination {
        let sink: any OutboxSink
        let path: String
        let writer: OutboxWriter
        var limit = OutboxLimit.log
        /// How long after a failed write the writer tries again.
        var retryAfter = Duration.seconds(1)
    }

    /// Creates an idle session whose log goes to `log` (tests hand in sinks that block or fail).
    init(
        number: Int, name: String, backend: String, transcriptCapacity: Int = SessionState.defaultTranscriptCapacity,
        eventCapacity: Int = SessionState.defaultEventCapacity, log: LogDestination?,
        observer: (@Sendable (SessionEvent) -> Void)? = nil, idleAudio: IdleAudio = .nothing,
        alertRules: AlertRules = AlertRules(), measuresTurns: Bool = true,
        clock: ElapsedClock = ElapsedClock(), userAudio: (@Sendable (AudioChunk) -> Void)? = nil,
        changes: ChangeSignal? = nil, makeTransport: @escaping TransportFactory
    ) {
        let state = SessionState(
            backend: backend, transcriptCapacity: transcriptCapacity, eventCapacity: eventCapacity, measuresTurns: measuresTurns)
        self.number = number
        self.name = name
        self.backend = backend
        self.makeTransport = makeTransport
        self.clock = clock
        self.observer = observer
        self.idleAudio = idleAudio
        self.userAudio = userAudio
        self.alertRules = alertRules
        self.logPath = log?.path
        self.snapshots = SnapshotChannel(SessionSnapshot(number: number, name: name, state: state, logPath: log?.path), changes: changes)
        self.core = Locked(Core(state: state))
        if let log {
            let outbox = Outbox(sink: log.sink, writer: log.writer, limit: log.limit, policy: .retry(after: log.retryAfter)) {
                [weak self] report in self?.recording(report)
            }
            core.withLock { $0.log = outbox }
        }
    }

    /// The latest published snapshot.
    public var snapshot: SessionSnapshot { snapshots.read().value }

    /// Microseconds since this session's clock origin, on the same scale as event offsets
    /// (the console shows a live run's elapsed time from it).
    public func currentOffset() -> Int64 {
        ElapsedClock.micros(clock.elapsed)
    }

    /// The send gate as it is now (for tests and diagnostics).
    public var sendGate: SendGate { core.withLock { $0.gate } }

    /// Why the log is not being written right now, if it is not.
    public var recordingIssue: String? { snapshot.state.recordingIssue }

    // MARK: Lifecycle

    /// Starts a new run. Does nothing (returns false) while a run is connecting or live.
    @discardableResult
    public func start() -> Bool {
        core.withLock { c in
            switch c.state.phase {
            case .connecting, .live: return false
            case .idle, .stopping, .ended, .failed: break
            }
            let run = c.state.run + 1
            c.accepting = true
            apply([.runStarted(backend: backend)], run: run, to: &c)
            let sink = EventSink { [weak self] kinds in self?.ingest(kinds, run: run) }
            let transport = makeTransport(TransportContext(sessionNumber: number, sessionName: name, run: run, sink: sink))
            c.transport = transport
            c.worker = Task { [weak self] in
                let outcome: SessionEvent.Kind
                do {
                    outcome = .ended(reason: try await transport.run())
                } catch {
                    outcome = Task.isCancelled ? .ended(reason: "cancelled") : .failed(error: Self.describe(error))
                }
                transport.close()
                self?.finish(run: run, outcome)
            }
            if idleAudio == .continuousSilence { startOpenMicrophone(run: run, via: transport, in: &c) }
            return true
        }
    }

    /// Ends the current run at once, whatever the transport does: it stops taking the run's
    /// events, records `stop_requested` and `ended` together, cancels its own task and
    /// streams, and asks its own transport to close. The socket's closing handshake finishes
    /// in the background; nothing it produces reaches this session, which can start a new run
    /// straight away. Touches nothing outside this session. Returns false when no run was active.
    @discardableResult
    public func stop(reason: String = "stopped by operator") -> Bool {
        guard let run = end(reason: reason) else { return false }
        run.release()
        return true
    }

    /// The first half of ``stop(reason:)``: the run is ended and takes no more events, but its
    /// task, streams and transport are left for the caller to ``StoppedRun/release()``
    /// (see ``SessionBoard/endAll(reason:)``). Nil when no run was active.
    func end(reason: String) -> StoppedRun? {
        core.withLock { c in
            switch c.state.phase {
            case .connecting, .live: break
            case .idle, .stopping, .ended, .failed: return nil
            }
            let run = StoppedRun(worker: c.worker, transport: c.transport, streams: Array(c.streams.values))
            c.accepting = false
            c.worker = nil
            c.transport = nil
            apply([.stopRequested, .ended(reason: reason)], run: c.state.run, to: &c)
            return run
        }
    }

    /// What an ended run still holds until it is released.
    struct StoppedRun {
        let worker: Task<Void, Never>?
        let transport: (any Transport)?
        let streams: [Task<SendError?, Never>]

        /// Cancels the run's task and streams and closes its transport.
        func release() {
            worker?.cancel()
            transport?.close()
            for stream in streams { stream.cancel() }
        }
    }

    /// Stops the current run (if any) and starts a new one at once.
    public func restart() {
        stop(reason: "restarted by operator")
        start()
    }

    /// Ends a run on its transport's own account; a run already stopped is left as it is.
    private func finish(run: Int, _ outcome: SessionEvent.Kind) {
        core.withLock { c in
            guard c.state.run == run, c.state.phase.isActive else { return }
            c.accepting = false
            c.worker = nil
            c.transport = nil
            apply([outcome], run: run, to: &c)
        }
    }

    /// Closes the log once its writer has written what it holds, waiting up to `timeout`.
    /// Call after the last run has ended. Lines that never reached the file (dropped while
    /// recording was stopped and not yet reported, still waiting, or thrown away when the disk
    /// failed for good) are said in a last `recording_stopped` event, which only the screen and
    /// the headless output see.
    public func closeLog(timeout: Duration = .seconds(5)) async {
        guard let log = core.withLock({ $0.log }) else { return }
        let closed = await log.close(within: timeout)
        core.withLock { c in
            c.log = nil
            let lost = log.droppedLines + log.discardedLines + (closed ? 0 : log.unwrittenLines) - c.state.recordingLostLines
            guard lost > 0 || c.state.recordingIssue != nil, c.state.run > 0 else { return }
            let cause = c.state.recordingIssue ?? (closed ? "dropped" : "the disk did not answer")
            apply([.recordingStopped(reason: "\(cause); the log ends with \(lost) lines not written")], run: c.state.run, to: &c)
        }
    }

    /// Turns what the log's writer reports into events (the writer's thread, no lock held).
    private func recording(_ report: OutboxReport) {
        core.withLock { c in
            guard c.log != nil, c.state.run > 0 else { return }
            switch report {
            case .writeFailed(let error): apply([.recordingStopped(reason: error.description)], run: c.state.run, to: &c)
            case .caughtUp(let lost): apply([.recordingResumed(lostLines: lost)], run: c.state.run, to: &c)
            }
        }
    }

    // MARK: Events

    /// Takes events from the transport of `run`; anything from an older run is dropped.
    /// Returns the phase that refused them, nil when they were taken.
    @discardableResult
    private func ingest(_ kinds: [SessionEvent.Kind], run: Int) -> String? {
        core.withLock { c in
            guard c.accepting, c.state.run == run else { return c.state.phase.name }
            apply(kinds, run: run, to: &c)
            return nil
        }
    }

    /// Folds, records and observes events, then publishes once. Caller holds the lock.
    /// The batch's lines go to the log's outbox (nothing here waits for a disk) before any of
    /// it is observed. A full outbox stops the recording, which the session says as an event.
    private func apply(_ kinds: [SessionEvent.Kind], run: Int, to c: inout Core, deriving: Bool = true) {
        if deriving, let end = kinds.firstIndex(where: \.endsRun) {
            applyEnding(kinds, at: end, run: run, to: &c)
            return
        }
        c.lastOffset = max(c.lastOffset, currentOffset())
        let offset = c.lastOffset
        // Each turn the batch completes, measured as it completes (an event completes at most
        // one; a batch can complete two: a reply cut short by the next user turn, then that).
        var completed: [SessionEvent.Kind] = []
        // Made again by each pass rather than kept in an array: a batch is mostly one event,
        // and allocating and freeing an array per frame cost more than making it twice.
        let events = kinds.lazy.map { SessionEvent(offset: offset, run: run, kind: $0.cappingText()) }
        var records: [SessionEvent] = []
        let selfContained = kinds.contains(where: SessionState.needsText)
        if selfContained {
            // An `agent_text_done` that keeps the streamed text gets that text before it is
            // folded, so the state, the log and headless all hold the same self-contained line.
            for event in events {
                let whole = c.state.selfContained(event)
                Self.fold(whole, into: &c.state, completing: &completed)
                records.append(whole)
            }
        } else {
            for event in events { Self.fold(event, into: &c.state, completing: &completed) }
        }
        // What the batch completed or set off: turn_metrics, then alerts raised or cleared,
        // folded after it and recorded in the same write (they complete and set off nothing).
        let derived = deriving ? completed + alertRules.transitions(c.state, at: offset) : []
        for kind in derived {
            let event = SessionEvent(offset: offset, run: run, kind: kind)
            Self.fold(event, into: &c.state, completing: &completed)
            records.append(event)
        }
        let overflowed =
            selfContained
            ? record(records, count: records.count, in: &c)
            : record(events, count: kinds.count, then: records, in: &c)
        if overflowed, let limit = c.log?.limit {
            // Published with the stop; the outbox being full, its own line is counted as lost.
            apply([.recordingStopped(reason: "log writes are not keeping up (\(limit.lines) lines or \(limit.bytes >> 20) MiB waiting)")], run: run, to: &c)
            return
        }
        snapshots.publish(SessionSnapshot(number: number, name: name, state: c.state, logPath: logPath))
    }

    /// Applies a batch holding a run's `ended` or `failed` so that it stays the run's last
    /// event (readers and the crash harness rely on it): what the end completes or sets off
    /// (the open turn's `turn_metrics`, alerts raised or cleared) is worked out on a copy of the
    /// state with the end applied, and recorded just before the end. Caller holds the lock.
    private func applyEnding(_ kinds: [SessionEvent.Kind], at end: Int, run: Int, to c: inout Core) {
        if end > 0 { apply(Array(kinds[..<end]), run: run, to: &c) }
        let offset = max(c.lastOffset, currentOffset())
        var ended = c.state
        var completed: [SessionEvent.Kind] = []
        Self.fold(SessionEvent(offset: offset, run: run, kind: kinds[end]), into: &ended, completing: &completed)
        let derived = completed + alertRules.transitions(ended, at: offset)
        if !derived.isEmpty { apply(derived, run: run, to: &c, deriving: false) }
        apply(Array(kinds[end...]), run: run, to: &c, deriving: false)
    }

    /// Folds `event` into `state`; the turn it completed, if any, goes to `completed` as its
    /// `turn_metrics`.
    private static func fold(_ event: SessionEvent, into state: inout SessionState, completing completed: inout [SessionEvent.Kind]) {
        let turnsBefore = state.metrics.turns
        state.apply(event)
        if state.metrics.turns != turnsBefore, let turn = state.metrics.lastTurn { completed.append(.turnMetrics(turn)) }
    }

    /// Raises or clears the alerts whose rules depend on time passing (dead air, stalled, a
    /// pending call): called about once a second by whoever runs the board.
    public func checkAlerts() {
        core.withLock { c in
            guard c.state.run > 0 else { return }
            let now = max(c.lastOffset, currentOffset())
            let transitions = alertRules.transitions(c.state, at: now)
            guard !transitions.isEmpty else { return }
            apply(transitions, run: c.state.run, to: &c)
        }
    }

    /// Marks the current moment with the operator's note (empty for none); needs no
    /// connection, so it works in any phase once a run has started. False before that.
    @discardableResult
    public func mark(note: String) -> Bool {
        let clean = TextSanitizer.sanitize(note)
        return core.withLock { c in
            guard c.state.run > 0 else { return false }
            apply([.mark(note: clean)], run: c.state.run, to: &c)
            return true
        }
    }

    /// Queues a folded batch for the log (one write) and shows it to the observer; true when
    /// the log's outbox overflowed just now. `count` is the number of `events`; `more` follow
    /// them. Caller holds the lock.
    private func record(_ events: some Sequence<SessionEvent>, count: Int, then more: [SessionEvent] = [], in c: inout Core) -> Bool {
        var overflowed = false
        if let log = c.log {
            let outcome = log.append(lines: count + more.count) { bytes in
                for event in events { Self.writeLine(event, into: &bytes) }
                for event in more { Self.writeLine(event, into: &bytes) }
            }
            overflowed = outcome == .dropped(first: true) && c.state.recordingIssue == nil
        }
        if let observer {
            for event in events { observer(event) }
            for event in more { observer(event) }
        }
        return overflowed
    }

    private static func writeLine(_ event: SessionEvent, into bytes: inout [UInt8]) {
        event.writeLogLine(into: &bytes)
        bytes.append(0x0A)
    }

    // MARK: Sending

    /// Sends a typed user message; `origin` is who typed it (the log and the pane tell them apart).
    public func sendText(_ text: String, origin: MessageOrigin = .caller) async throws(SendError) {
        let clean = TextSanitizer.sanitize(text)
        try await send(.userText(clean), recording: .userMessage(text: clean, origin: origin))
    }

    /// Sends background information the agent should know without answering it.
    public func sendContextualUpdate(_ text: String) async throws(SendError) {
        let clean = TextSanitizer.sanitize(text)
        try await send(.contextualUpdate(clean), recording: .contextualUpdate(text: clean))
    }

    /// Answers a client tool call.
    public func sendToolResult(callId: String, result: String, isError: Bool) async throws(SendError) {
        let clean = TextSanitizer.sanitize(result)
        try await send(
            .toolResult(callId: callId, result: clean, isError: isError),
            recording: .toolResult(callId: callId, result: clean, isError: isError))
    }

    /// Tells the agent the user is active (typing) so it holds back; ElevenLabs `user_activity`.
    /// Not recorded: it goes out on every keystroke.
    public func sendUserActivity() async throws(SendError) {
        try await send(.userActivity, recording: nil)
    }

    /// The user's like or dislike of an agent response (ElevenLabs `feedback`); nil `eventId`
    /// rates the latest response. Other backends send nothing.
    public func sendFeedback(like: Bool, eventId: Int? = nil) async throws(SendError) {
        try await send(.feedback(eventId: eventId, like: like), recording: .feedback(eventId: eventId, like: like))
    }

    /// Approves or denies an MCP tool call awaiting approval (ElevenLabs
    /// `mcp_tool_approval_result`); see ``SessionState/pendingApprovals``.
    public func answerApproval(callId: String, approved: Bool) async throws(SendError) {
        try await send(.toolApproval(callId: callId, approved: approved), recording: .toolApproval(callId: callId, approved: approved))
    }

    /// Ends the conversation from this side: the socket closes normally and the run ends.
    /// Neither protocol has an "end" message; closing is how the official SDKs end a session.
    @discardableResult
    public func endConversation() -> Bool {
        stop(reason: "conversation ended by operator")
    }

    private func send(_ message: OutgoingMessage, recording kind: SessionEvent.Kind?) async throws(SendError) {
        let (transport, run) = try core.withLock { c throws(SendError) in try Self.liveTransport(c) }
        try await Self.deliver(message, via: transport)
        // A run stopped while the message was on its way: it left, but no event records it.
        if let kind, let phase = ingest([kind], run: run) { throw .notLive(phase: phase) }
    }

    /// Sends one standalone audio chunk. Refused with ``SendError/streamInProgress`` while a
    /// stream holds the gate.
    public func sendAudioChunk(_ chunk: AudioChunk) async throws(SendError) {
        let (transport, run) = try core.withLock { c throws(SendError) in
            let live = try Self.liveTransport(c)
            try c.gate.acquireChunk()
            return live
        }
        // Released synchronously on every path; nothing here can be cancelled or wait.
        defer { core.withLock { $0.gate.releaseChunk() } }
        try await Self.deliver(.audio(chunk), via: transport)
        userAudio?(chunk)
        ingest([.userAudio(bytes: chunk.pcm.count, durationMs: chunk.durationMilliseconds)], run: run)
    }

    /// Streams a PCM16 buffer in chunks of `chunkMilliseconds` (clamped to 20…250), paced in
    /// real time unless told otherwise, then the session's trailing silence (``IdleAudio``), then
    /// marks the end of the user's audio turn.
    /// Holds the send gate for the whole stream; cancelling the caller, a transport error or
    /// stopping the session ends the stream and opens the gate.
    public func streamAudio(
        _ audio: AudioChunk, chunkMilliseconds: Int = 100, pacing: AudioPacing = .realTime
    ) async throws(SendError) {
        let size = Self.streamChunkMilliseconds(chunkMilliseconds)
        let (chunks, feed) = AsyncStream.makeStream(of: AudioChunk.self)
        for chunk in audio.split(milliseconds: size) { feed.yield(chunk) }
        feed.finish()
        let task = try startStream(chunks, sampleRate: audio.sampleRate, chunkMilliseconds: size, pacing: pacing, live: false)
        let failure = await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
        if let failure { throw failure }
    }

    /// Opens a stream of live audio (push-to-talk) at `sampleRate`: the caller hands it chunks
    /// as they are captured and ends it when the user stops talking; then, as after a
    /// ``streamAudio(_:chunkMilliseconds:pacing:)`` buffer, the session's trailing silence goes
    /// out (paced in real time from that moment) and the user's audio turn is marked as ended.
    /// Holds the send gate until then, so a WAV stream or a chunk meanwhile is refused with
    /// ``SendError/talkInProgress``; refused at once with ``SendError/streamInProgress`` while a
    /// WAV streams. Stopping the session, or a transport error, ends it and opens the gate.
    public func streamLiveAudio(sampleRate: Int, chunkMilliseconds: Int = 100) throws(SendError) -> LiveAudio {
        let (chunks, feed) = AsyncStream.makeStream(of: AudioChunk.self, bufferingPolicy: .bufferingNewest(LiveAudio.queueLimit))
        let size = Self.streamChunkMilliseconds(chunkMilliseconds)
        let task = try startStream(chunks, sampleRate: sampleRate, chunkMilliseconds: size, pacing: .immediate, live: true)
        return LiveAudio(feed: feed, task: task)
    }

    private static func streamChunkMilliseconds(_ asked: Int) -> Int { min(250, max(20, asked)) }

    /// Takes the send gate for a stream and starts the task that sends `chunks` (paced as
    /// `pacing` says), then the trailing silence at `sampleRate` and the end of the turn; the
    /// task opens the gate when it ends, whatever ends it.
    private func startStream(
        _ chunks: AsyncStream<AudioChunk>, sampleRate: Int, chunkMilliseconds: Int, pacing: AudioPacing, live: Bool
    ) throws(SendError) -> Task<SendError?, Never> {
        let tail: [AudioChunk] =
            if case .trailingSilence(let milliseconds) = idleAudio {
                AudioChunk.silence(milliseconds: milliseconds, sampleRate: sampleRate).split(milliseconds: chunkMilliseconds)
            } else { [] }
        return try core.withLock { c throws(SendError) -> Task<SendError?, Never> in
            let (transport, run) = try Self.liveTransport(c)
            try c.gate.acquireStream(live: live)
            let id = c.nextStreamId
            c.nextStreamId += 1
            // Created under the lock so the task is registered before its body can run.
            let task = Task { [self] () -> SendError? in
                defer {
                    core.withLock { c in
                        c.gate.releaseStream()
                        c.streams[id] = nil
                    }
                }
                // Live audio comes as fast as it is spoken; its trailing silence is paced.
                return await pump(chunks, pacing: pacing, then: tail, pacing: live ? .realTime : pacing, via: transport, run: run)
            }
            c.streams[id] = task
            return task
        }
    }

    private func pump(
        _ chunks: AsyncStream<AudioChunk>, pacing: AudioPacing, then tail: [AudioChunk], pacing tailPacing: AudioPacing,
        via transport: any Transport, run: Int
    ) async -> SendError? {
        var deadline = clock.elapsed
        do throws(SendError) {
            func sendChunk(_ chunk: AudioChunk, pacing: AudioPacing) async throws(SendError) {
                if Task.isCancelled { throw .cancelled }
                try await Self.deliver(.audio(chunk), via: transport)
                userAudio?(chunk)
                ingest([.userAudio(bytes: chunk.pcm.count, durationMs: chunk.durationMilliseconds)], run: run)
                if pacing == .realTime {
                    deadline += .milliseconds(chunk.durationMilliseconds)
                    do { try await clock.sleep(until: deadline) } catch { throw .cancelled }
                }
            }
            for await chunk in chunks { try await sendChunk(chunk, pacing: pacing) }
            // Unpaced audio ended now: the silence after it is paced from here.
            if pacing == .immediate { deadline = clock.elapsed }
            for chunk in tail { try await sendChunk(chunk, pacing: tailPacing) }
            if Task.isCancelled { return .cancelled }
            try await Self.deliver(.audioStreamEnded, via: transport)
            return nil
        } catch {
            return error
        }
    }

    /// Sends silence while the run is live and no other audio is being sent, as an open
    /// microphone would. The silence is not recorded as events (it would flood the log); it
    /// does not hold the send gate, so a stream or chunk may start at any time.
    private func startOpenMicrophone(run: Int, via transport: any Transport, in c: inout Core) {
        let id = c.nextStreamId
        c.nextStreamId += 1
        let silence = AudioChunk.silence(milliseconds: Self.openMicrophoneChunkMilliseconds, sampleRate: 16000)
        c.streams[id] = Task { [weak self, clock] () -> SendError? in
            var deadline = clock.elapsed
            while !Task.isCancelled {
                deadline += .milliseconds(Self.openMicrophoneChunkMilliseconds)
                do { try await clock.sleep(until: deadline) } catch { break }
                guard let self else { break }
                let state = core.withLock { c -> (send: Bool, over: Bool) in
                    let over = c.state.run != run || !c.state.phase.isActive || !c.accepting
                    return (!over && c.state.phase.isLive && !c.gate.isHeld, over)
                }
                if state.over { break }
                if state.send { try? await transport.send(.audio(silence)) }
            }
            self?.core.withLock { $0.streams[id] = nil }
            return nil
        }
    }

    /// Chunks of open-microphone silence: a typical capture buffer.
    private static var openMicrophoneChunkMilliseconds: Int { 100 }

    private static func liveTransport(_ c: Core) throws(SendError) -> (any Transport, Int) {
        guard c.state.phase.isLive, c.accepting, let transport = c.transport else {
            throw .notLive(phase: c.state.phase.name)
        }
        return (transport, c.state.run)
    }

    private static func deliver(_ message: OutgoingMessage, via transport: any Transport) async throws(SendError) {
        do {
            try await transport.send(message)
        } catch is CancellationError {
            throw .cancelled
        } catch {
            throw Task.isCancelled ? .cancelled : .transport(describe(error))
        }
    }

    static func describe(_ error: any Error) -> String {
        TextSanitizer.sanitize(String(describing: error))
    }
}

/// What a session sends when no user audio is being streamed.
///
/// Server VAD (OpenAI `server_vad`, ElevenLabs always) ends a user turn only after enough
/// *silent audio* has arrived; a client that stops sending after a file never ends the turn.
public enum IdleAudio: Sendable, Equatable {
    /// Nothing: the stream's end is the turn's end (manual commit, the simulator).
    case nothing
    /// This much silence after each stream, paced like the stream.
    case trailingSilence(milliseconds: Int)
    /// Silence whenever nothing else is sent while the run is live, like an open microphone.
    case continuousSilence
}

/// How an audio stream is paced.
public enum AudioPacing: Sendable, Equatable {
    /// One chunk per chunk duration, as a microphone would deliver it.
    case realTime
    /// As fast as the transport takes it (tests, benchmarks).
    case immediate
}
