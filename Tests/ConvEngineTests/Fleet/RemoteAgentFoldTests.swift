import ConvEngine
import Testing

@Suite("RemoteAgentFold: a remote session folded from an agent's watch stream")
struct RemoteAgentFoldTests {
    private let header = SessionLogHeader(sessionNumber: 2, sessionName: "ava", backend: "sim", startedAtMicros: 1_000)

    /// A run with a turn, an interruption, a tool call and a ping.
    private let events: [SessionEvent] = [
        SessionEvent(offset: 10, run: 1, kind: .runStarted(backend: "sim")),
        SessionEvent(offset: 20, run: 1, kind: .connected(conversationId: "conv_1")),
        SessionEvent(offset: 1_000, run: 1, kind: .userTranscript(text: "hello", isFinal: true)),
        SessionEvent(offset: 1_500, run: 1, kind: .agentTextDelta(responseId: "r1", text: "Hi ")),
        SessionEvent(offset: 1_600, run: 1, kind: .agentTextDelta(responseId: "r1", text: "there")),
        SessionEvent(offset: 1_700, run: 1, kind: .agentAudio(eventId: 4, bytes: 3_200, durationMs: 100)),
        SessionEvent(offset: 1_900, run: 1, kind: .interruption(eventId: 4)),
        SessionEvent(offset: 2_000, run: 1, kind: .agentTextDone(responseId: "r1", text: nil)),
        SessionEvent(offset: 2_100, run: 1, kind: .toolCall(callId: "c1", name: "lookup", arguments: "{}")),
        SessionEvent(offset: 2_200, run: 1, kind: .ping(eventId: 9, latencyMs: 40)),
    ]

    /// The lines `convtui attach` would pass on for `events` numbered from `firstSequence`.
    private func attachLines(_ events: ArraySlice<SessionEvent>, firstSequence: Int, agent: String = "i1") -> [[UInt8]] {
        var cursor = AttachCursor(host: "h:1", from: firstSequence)
        var hello: [UInt8] = []
        JSONWriter.write(
            .object([("type", "watch"), ("agent", .string(agent)), ("first", .int(firstSequence)), ("next", .int(firstSequence)), ("missed", .int(0))]),
            into: &hello)
        var headerLine: [UInt8] = []
        JSONWriter.write(header.json, into: &headerLine)
        var incoming = [hello, headerLine]
        for (index, event) in events.enumerated() {
            var line: [UInt8] = []
            event.writeLogLine(into: &line, session: (2, "ava"))
            let watchLine = WatchLine(sequence: firstSequence + index, session: 2, isAudioChunk: WatchLine.isAudioChunk(event.kind), line: line)
            incoming.append(watchLine.framed)
        }
        return incoming.compactMap { bytes in
            if case .print(let line) = cursor.take(bytes) { return line }
            return nil
        }
    }

    private func directState(_ events: some Sequence<SessionEvent>) -> SessionState {
        var state = header.emptyState()
        for event in events { state.apply(event) }
        return state
    }

    @Test("the folded state equals the agent's own fold of the same events")
    func equalsAgentState() {
        var fold = RemoteAgentFold(host: "h:1")
        for line in attachLines(events[...], firstSequence: 1) { _ = fold.take(line) }
        #expect(fold.connected && fold.unreachable == nil)
        #expect(fold.sessions[2]?.state == directState(events))
        #expect(fold.sessions[2]?.joinedMidRun == false)
    }

    @Test("a run whose start the agent no longer holds is opened from the first event seen, and said")
    func joinsMidRun() throws {
        var fold = RemoteAgentFold(host: "h:1")
        for line in attachLines(events[4...], firstSequence: 5) { _ = fold.take(line) }
        let session = try #require(fold.sessions[2])
        #expect(session.joinedMidRun)
        #expect(session.state.phase.isLive)
        #expect(session.state.run == 1)
        #expect(session.state.pendingToolCalls.map(\.callId) == ["c1"])
        #expect(session.state.lastPingMilliseconds == 40)
    }

    @Test("a lost agent is said with its reason and found again; a restarted one starts its sessions afresh")
    func reachability() {
        var fold = RemoteAgentFold(host: "h:1")
        for line in attachLines(events[...], firstSequence: 1) { _ = fold.take(line) }
        #expect(fold.take(AttachCursor(host: "h:1").unreachable(reason: "connection refused")) == .agent)
        #expect(fold.unreachable == "connection refused")
        #expect(fold.sessions[2]?.state == directState(events), "a lost agent's panes keep what they showed")
        #expect(fold.take(Array(#"{"type":"agent_restarted","host":"h:1","agent":"i2"}"#.utf8)) == .agent)
        #expect(fold.sessions.isEmpty)
        for line in attachLines(events[..<3], firstSequence: 1, agent: "i2") { _ = fold.take(line) }
        #expect(fold.unreachable == nil)
        #expect(fold.sessions[2]?.state == directState(events[..<3]))
    }

    @Test("lines that are not the stream's, and events of unknown sessions, change nothing")
    func ignoresStrayLines() {
        var fold = RemoteAgentFold(host: "h:1")
        #expect(fold.take(Array("not json".utf8)) == .nothing)
        #expect(fold.take(Array(#"{"seq":1,"session":9,"t":0.1,"run":1,"type":"run_started","backend":"sim"}"#.utf8)) == .nothing)
        #expect(fold.take(Array(#"{"type":"watch_dropped","audio_events":3,"audio_events_total":7}"#.utf8)) == .nothing)
        #expect(fold.droppedAudio == 7)
        _ = fold.take(Array(#"{"type":"watch_dropped","audio_events":1,"audio_events_total":9000000000000000}"#.utf8))
        #expect(fold.droppedAudio == Int(Int32.max), "a hostile agent's count is held to a range that sums safely")
        _ = fold.take(Array(#"{"type":"watch_dropped","audio_events":1,"audio_events_total":-5}"#.utf8))
        #expect(fold.droppedAudio == 0)
        #expect(fold.sessions.isEmpty)
    }
}
