import Testing

@testable import ConvEngine

/// Operator-typed messages (`origin`) are told apart from the caller's in logs, in the
/// reducer's transcript and in exports; logs without the member read as before.
@Suite("Message origin")
struct MessageOriginTests {
    private static func decode(_ line: String) throws -> SessionEvent {
        try SessionEvent(json: JSONParser.parse(line))
    }

    @Test func onlyTheOperatorsMessagesCarryOrigin() {
        var caller: [UInt8] = []
        SessionEvent(offset: 1, run: 1, kind: .userMessage(text: "hi")).writeLogLine(into: &caller)
        #expect(!String(decoding: caller, as: UTF8.self).contains("origin"), "a caller's line is the same as before the member existed")
        var typed: [UInt8] = []
        SessionEvent(offset: 1, run: 1, kind: .userMessage(text: "hi", origin: .operator)).writeLogLine(into: &typed)
        #expect(String(decoding: typed, as: UTF8.self).hasSuffix(#""text":"hi","origin":"operator"}"#))
    }

    @Test func olderLinesReadAsTheCallersAndABadOriginIsCorrupt() throws {
        #expect(try Self.decode(#"{"t":1.0,"run":1,"type":"user_message","text":"a"}"#).kind == .userMessage(text: "a", origin: .caller))
        #expect(
            try Self.decode(#"{"t":1.0,"run":1,"type":"user_message","text":"a","origin":"caller"}"#).kind == .userMessage(text: "a"))
        #expect(
            try Self.decode(#"{"t":1.0,"run":1,"type":"user_message","origin":"operator","text":"a"}"#).kind
                == .userMessage(text: "a", origin: .operator))
        #expect(throws: EventDecodingError.self) { try Self.decode(#"{"t":1.0,"run":1,"type":"user_message","text":"a","origin":"boss"}"#) }
    }

    @Test func logCheckAcceptsMessagesWithAndWithoutOrigin() {
        let lines = [
            TestLogs.headerLine(version: 2),
            TestLogs.line(SessionEvent(offset: 100, run: 1, kind: .runStarted(backend: "sim"))),
            #"{"t":1.000000,"run":1,"type":"user_message","text":"older, no origin"}"#,
            TestLogs.line(SessionEvent(offset: 2_000_000, run: 1, kind: .userMessage(text: "typed", origin: .operator))),
            #"{"t":3.000000,"run":1,"type":"user_message","text":"said so","origin":"caller"}"#,
        ]
        let result = SessionLogCheck.run(path: TestLogs().file("origin.jsonl", lines.joined(separator: "\n") + "\n"))
        #expect(result.isOK, "\(result.lines)")
        let bad = SessionLogCheck.run(
            path: TestLogs().file("bad.jsonl", lines.prefix(2).joined(separator: "\n") + "\n" + #"{"t":1.0,"run":1,"type":"user_message","text":"x","origin":7}"# + "\n"))
        #expect(!bad.isOK)
    }

    @Test func theTranscriptAndTheExportNameTheOperator() {
        var state = SessionState(backend: "sim")
        let kinds: [SessionEvent.Kind] = [
            .runStarted(backend: "sim"), .userMessage(text: "from the script"), .userMessage(text: "from the desk", origin: .operator),
        ]
        for (i, kind) in kinds.enumerated() { state.apply(SessionEvent(offset: Int64(i) * 1_000_000, run: 1, kind: kind)) }
        #expect(state.transcript.map(\.role).filter { $0 != .system } == [.user, .operator])

        let header = SessionLogHeader(
            sessionNumber: 1, sessionName: "ava", backend: "sim", startedAtMicros: 0, transcriptCapacity: 100, eventCapacity: 10)
        var export = TranscriptExport(header: header, format: .text)
        var out: [UInt8] = []
        for (i, kind) in kinds.enumerated() { export.consume(SessionEvent(offset: Int64(i) * 1_000_000, run: 1, kind: kind), into: &out) }
        export.finish(into: &out)
        let text = String(decoding: out, as: UTF8.self)
        #expect(text.contains("] user: from the script"))
        #expect(text.contains("] operator: from the desk"))
    }
}
