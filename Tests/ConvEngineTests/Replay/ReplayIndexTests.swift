import Testing
@testable import ConvEngine

@Suite("Replay index")
struct ReplayIndexTests {
    /// One event of every kind, as the writer writes them.
    static let everyKind: [SessionEvent.Kind] = [
        .runStarted(backend: "sim"), .connected(conversationId: "c"), .stopRequested, .ended(reason: "r"), .failed(error: "e"),
        .userSpeechStarted, .userSpeechStopped, .userTranscript(text: "t", isFinal: true), .userMessage(text: "m"),
        .contextualUpdate(text: "c"), .userAudio(bytes: 1, durationMs: 2), .toolResult(callId: "c", result: "r", isError: false),
        .agentThinking, .agentTextDelta(responseId: "r", text: "t"), .agentTextDone(responseId: "r", text: nil),
        .agentCorrection(original: "a", corrected: "b"), .agentAudio(eventId: 3, bytes: 1, durationMs: 2), .agentAudioDone,
        .interruption(eventId: nil), .toolCall(callId: "c", name: "n", arguments: "{}"), .ping(eventId: 1, latencyMs: 5),
        .vadScore(0.5), .serverError(code: "c", message: "m"), .rateLimits(summary: "s"), .usage(inputTokens: 1, outputTokens: 2),
        .unknown(type: "x"), .malformed(detail: "d"),
        .mcpToolCall(callId: "m", name: "n", state: "awaiting_approval", detail: "{}"), .toolApproval(callId: "m", approved: true),
        .feedback(eventId: nil, like: false), .recordingStopped(reason: "No space left on device"),
        .recordingResumed(lostLines: 12), .turnMetrics(TurnMetrics(turn: 1, mode: .voice, voiceToVoiceMs: 700)),
        .alert(rule: "dead_air", raised: true, reason: "no agent output"),
        .mark(note: "greeting done"),
    ]

    @Test func fastPathAgreesWithTheFullDecoderOnEveryKind() throws {
        #expect(Self.everyKind.count == ReplayEventFlags.typeTable.count)
        for (i, kind) in Self.everyKind.enumerated() {
            let event = SessionEvent(offset: 12_000_345 + Int64(i), run: 3, kind: kind)
            let line = Array(TestLogs.line(event).utf8)
            let fast = line.withUnsafeBytes { EventLineClassifier.fastPath($0) }
            guard case .event(let offset, let run, let flags) = fast else {
                Issue.record("fast path missed \(kind.typeName)")
                continue
            }
            #expect(offset == event.offset)
            #expect(run == 3)
            #expect(flags == ReplayEventFlags.of(kind), "\(kind.typeName)")
        }
    }

    @Test func indexesEveryEventWithItsTimeAndFlags() throws {
        let logs = TestLogs()
        let events = TestLogs.conversation(count: 1000)
        let index = try ReplayIndex.build(path: logs.log("a", events: events))
        #expect(index.eventCount == events.count)
        #expect(index.times == events.map(\.offset))
        #expect(index.flags == events.map { ReplayEventFlags.of($0.kind) })
        #expect(index.runCount == events.filter { if case .runStarted = $0.kind { true } else { false } }.count)
        #expect(index.problems.isEmpty)
        #expect(index.anchors.count == (events.count + ReplayIndex.anchorInterval - 1) / ReplayIndex.anchorInterval)
    }

    @Test func validLinesInAnotherShapeGoThroughTheParser() throws {
        let logs = TestLogs()
        let path = logs.file(
            "reordered.jsonl",
            TestLogs.headerLine() + "\n" + #"{"run":1,"type":"run_started","t":1.5,"backend":"sim"}"# + "\n"
                + #"{ "t": 2e0, "run": 1, "type": "connected", "conversation_id": "c" }"# + "\n")
        let index = try ReplayIndex.build(path: path)
        #expect(index.times == [1_500_000, 2_000_000])
        #expect(index.problems.isEmpty)
    }

    @Test func reportsCorruptLinesAndATornTail() throws {
        let logs = TestLogs()
        let good = TestLogs.line(SessionEvent(offset: 1, run: 1, kind: .runStarted(backend: "sim")))
        let path = logs.file(
            "bad.jsonl",
            [
                TestLogs.headerLine(), good, #"{"t":1.0,"run":1,"type":"no_such_type"}"#, "garbage",
                TestLogs.line(SessionEvent(offset: 2, run: 1, kind: .connected(conversationId: "c"))), #"{"t":2.0,"run":1,"ty"#,
            ]
                .joined(separator: "\n"))
        let index = try ReplayIndex.build(path: path)
        #expect(index.eventCount == 2)
        #expect(index.problems.map(\.line) == [3, 4, 6])
        #expect(index.problems.last?.kind == .tornTail)
        #expect(index.hasTornTail)
    }

    @Test func fastIndexingTrustsThePrefixButFullValidationDecodesPayloads() throws {
        let logs = TestLogs()
        let path = logs.file(
            "payload.jsonl", TestLogs.headerLine() + "\n" + #"{"t":1.000000,"run":1,"type":"user_message","txet":"x"}"# + "\n")
        #expect(try ReplayIndex.build(path: path, validation: .fast).eventCount == 1)
        let full = try ReplayIndex.build(path: path, validation: .full)
        #expect(full.eventCount == 0)
        #expect(full.problems.map(\.line) == [2])
    }

    @Test func timesNeverGoBackwards() throws {
        let logs = TestLogs()
        let events = [5, 3, 9].map { SessionEvent(offset: Int64($0), run: 1, kind: .ping(eventId: nil, latencyMs: nil)) }
        let index = try ReplayIndex.build(path: logs.log("backwards", events: events))
        #expect(index.times == [5, 5, 9])
        #expect(index.eventCount(atOrBefore: 4) == 0)
        #expect(index.eventCount(atOrBefore: 5) == 2)
        #expect(index.eventCount(atOrBefore: 100) == 3)
    }

    @Test func unusableFilesThrowClearErrors() throws {
        let logs = TestLogs()
        #expect(throws: LogFormatError.empty) { try ReplayIndex.build(path: logs.file("empty.jsonl", "")) }
        #expect(throws: LogFormatError.unsupportedVersion(3)) {
            try ReplayIndex.build(path: logs.file("v3.jsonl", TestLogs.headerLine(version: 3) + "\n"))
        }
        #expect(throws: LogFormatError.cannotOpen("it is a directory")) { try ReplayIndex.build(path: logs.directory) }
        #expect(throws: LogFormatError.self) { try ReplayIndex.build(path: logs.directory + "/missing.jsonl") }
        #expect(throws: LogFormatError.self) { try ReplayIndex.build(path: logs.file("garbage.bin", "\u{0}\u{1}\u{FF}\n\u{7}")) }
    }

    @Test func aLineLongerThanTheLimitIsCutNotHeld() throws {
        let logs = TestLogs()
        let path = logs.file("long.jsonl", "{\"a\":\"" + String(repeating: "x", count: 3_000_000) + "\"}\n")
        var scanner = try LineScanner(path: path, maxLineLength: 1000)
        let length = scanner.next { bytes, _ in bytes.count }
        let truncated = scanner.lastLineTruncated
        let after = scanner.next { bytes, _ in bytes.count }
        #expect(length == 1000)
        #expect(truncated)
        #expect(after == nil)
        #expect(throws: LogFormatError.self) { try ReplayIndex.build(path: path) }
    }
}
