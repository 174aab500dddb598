import Foundation
import Glibc
import Testing
@testable import ConvEngine
import TestSupport

@Suite("Session log reader")
struct SessionLogReaderTests {
    private let header = #"{"format":"convtui-session-log","version":1,"session":1,"name":"ava","backend":"sim","started_at":"2026-11-21T19:30:00.000Z","started_at_us":1795289400000000,"transcript_capacity":500,"event_capacity":200}"#
    private let events = [
        #"{"t":0.001000,"run":1,"type":"run_started","backend":"sim"}"#,
        #"{"t":0.250000,"run":1,"type":"connected","conversation_id":"sim_1"}"#,
        #"{"t":0.500000,"run":1,"type":"agent_text_delta","response_id":"r1","text":"Hello"}"#,
        #"{"t":0.750000,"run":1,"type":"agent_text_delta","response_id":"r1","text":" there"}"#,
    ]

    private func write(_ text: String) -> String {
        let path = makeTemporaryDirectory() + "/log.jsonl"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        _ = text.utf8CString.withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress!, $0.count - 1) }
        close(fd)
        return path
    }

    @Test func readsAWellFormedLog() throws {
        let log = try SessionLogReader.read(path: write(([header] + events).joined(separator: "\n") + "\n"))
        #expect(log.problems.isEmpty)
        #expect(log.events.count == 4)
        #expect(log.events[2].offset == 500_000)
        #expect(log.finalState().transcript.last?.text == "Hello there")
        #expect(log.header.sessionName == "ava")
    }

    @Test func tornTailIsReportedAndEverythingBeforeItKept() throws {
        let torn = ([header] + events).joined(separator: "\n") + "\n" + #"{"t":0.9,"run":1,"type":"agent_te"#
        let log = try SessionLogReader.read(path: write(torn))
        #expect(log.events.count == 4)
        #expect(log.problems == [LogProblem(line: 6, kind: .tornTail)])
        #expect(log.finalState().transcript.last?.text == "Hello there")
    }

    @Test func corruptMiddleLineIsReportedWithItsNumber() throws {
        var lines = [header] + events
        lines.insert("{not json", at: 3)
        lines.insert(#"{"t":1,"run":1,"type":"no_such_event"}"#, at: 4)
        let log = try SessionLogReader.read(path: write(lines.joined(separator: "\n") + "\n"))
        #expect(log.events.count == 4)
        #expect(log.problems.map(\.line) == [4, 5])
        #expect(log.problems.allSatisfy { if case .corrupt = $0.kind { true } else { false } })
    }

    @Test func wrongHeaderIsRefused() throws {
        #expect(throws: LogFormatError.notALog("the first line has no \"format\": \"convtui-session-log\"")) {
            try SessionLogReader.read(path: write(#"{"hello":"world"}"# + "\n"))
        }
        #expect(throws: LogFormatError.self) { try SessionLogReader.read(path: write("\u{0}\u{1}binary garbage\n")) }
    }

    @Test func newerVersionIsRefusedClearly() throws {
        let newer = header.replacingOccurrences(of: #""version":1"#, with: #""version":3"#)
        #expect(throws: LogFormatError.unsupportedVersion(3)) { try SessionLogReader.read(path: write(newer + "\n")) }
    }

    /// Version 1 (before turn_metrics and alert) and version 2 both read.
    @Test func versionsOneAndTwoRead() throws {
        for version in [1, 2] {
            let text = header.replacingOccurrences(of: #""version":1"#, with: #""version":\#(version)"#)
            let log = try SessionLogReader.read(path: write(text + "\n"))
            #expect(log.header.version == version)
        }
    }

    @Test func emptyAndMissingFiles() throws {
        #expect(throws: LogFormatError.empty) { try SessionLogReader.read(path: write("")) }
        #expect(throws: LogFormatError.cannotOpen("No such file or directory")) {
            try SessionLogReader.read(path: "/nonexistent/convtui.jsonl")
        }
        #expect(throws: LogFormatError.cannotOpen("it is a directory")) { try SessionLogReader.read(path: "/tmp") }
    }

    @Test func writerCreatesPrivateFilesInPrivateDirectory() throws {
        let root = makeTemporaryDirectory() + "/nested/logs"
        let directory = try RecordingDirectory(path: root)
        let writer = try directory.createLog(number: 3, name: "a/b c", backend: "sim", transcriptCapacity: 10, eventCapacity: 10)
        try writer.append(SessionEvent(offset: 1_234_567, run: 1, kind: .runStarted(backend: "sim")))
        writer.close()
        var info = stat()
        #expect(stat(root, &info) == 0 && info.st_mode & 0o777 == 0o700)
        #expect(stat(writer.path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(writer.path.hasSuffix("-03-a_b_c.jsonl"))
        let log = try SessionLogReader.read(path: writer.path)
        #expect(log.events == [SessionEvent(offset: 1_234_567, run: 1, kind: .runStarted(backend: "sim"))])
        #expect(log.header.transcriptCapacity == 10)
    }

    @Test func everyEventKindRoundTrips() throws {
        let kinds: [SessionEvent.Kind] = [
            .runStarted(backend: "sim"), .connected(conversationId: "c"), .stopRequested, .ended(reason: "r"),
            .failed(error: "e"), .userSpeechStarted, .userSpeechStopped, .userTranscript(text: "t", isFinal: false),
            .userMessage(text: "m"), .contextualUpdate(text: "u"), .userAudio(bytes: 10, durationMs: 1),
            .toolResult(callId: "c1", result: "ok", isError: true), .agentThinking,
            .agentTextDelta(responseId: "r", text: "d"), .agentTextDone(responseId: "r", text: nil),
            .agentTextDone(responseId: "r", text: "full"), .agentCorrection(original: "a", corrected: "b"),
            .agentAudio(eventId: nil, bytes: 1, durationMs: 2), .agentAudio(eventId: 7, bytes: 1, durationMs: 2),
            .agentAudioDone, .interruption(eventId: nil), .interruption(eventId: 8), .toolCall(callId: "c", name: "n", arguments: "{}"),
            .ping(eventId: 1, latencyMs: nil), .ping(eventId: nil, latencyMs: 5), .vadScore(0.25),
            .serverError(code: "x", message: "y"), .rateLimits(summary: "s"), .usage(inputTokens: 1, outputTokens: 2),
            .unknown(type: "weird"), .malformed(detail: "bad"), .recordingStopped(reason: "disk"), .recordingResumed(lostLines: 4),
        ]
        for (i, kind) in kinds.enumerated() {
            let event = SessionEvent(offset: Int64(i) * 1_000_001, run: 2, kind: kind)
            var line: [UInt8] = []
            event.writeLogLine(into: &line)
            let decoded = try SessionEvent(json: JSONParser.parse(line))
            #expect(decoded == event, "\(kind.typeName)")
        }
    }
}
