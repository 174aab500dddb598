import Foundation
import Testing
import TestSupport

/// A log file written by an attacker — terminal escapes, C1 controls, bidi overrides,
/// zero-width characters and invalid UTF-8 in every text field — replayed, exported and
/// checked by the real binary: no raw control byte reaches stdout or stderr.
@Suite("Hostile log files", .serialized)
struct HostileLogTests {
    /// OSC title change, OSC 52 clipboard write, CSI clear, CR, BS, BEL, C1 CSI, RLO, ZWJ.
    private static let payload = #"\u001b]0;pwned\u0007\u001b]52;c;cHduZWQ=\u001b\\\u001b[2J\r\b\u0007\u009b31m\u202eevil\u200d"#

    private static func hostileLog() throws -> String {
        let path = makeTemporaryDirectory("convtui-hostile") + "/hostile.jsonl"
        let p = payload
        var bytes = Data("""
            {"format":"convtui-session-log","version":1,"session":1,"name":"n\(p)","backend":"sim\(p)","started_at":"2026-11-21T19:30:00.000Z","started_at_us":1795289400000000,"transcript_capacity":500,"event_capacity":200}
            {"t":0.000001,"run":1,"type":"run_started","backend":"sim"}
            {"t":0.100000,"run":1,"type":"connected","conversation_id":"c\(p)"}
            {"t":0.200000,"run":1,"type":"user_transcript","text":"u\(p)","final":true}
            {"t":0.300000,"run":1,"type":"tool_call","call_id":"k\(p)","name":"tool\(p)","arguments":"{}"}
            {"t":0.400000,"run":1,"type":"agent_text_delta","response_id":"r1","text":"a\(p)"}
            {"t":0.500000,"run":1,"type":"agent_text_done","response_id":"r1","text":null}
            {"t":0.600000,"run":1,"type":"server_error","code":"e\(p)","message":"m\(p)"}

            """.utf8)
        // Raw control bytes inside a string are not JSON: line 9 is reported as corrupt.
        bytes.append(Data(#"{"t":0.700000,"run":1,"type":"user_message","text":"raw "#.utf8))
        bytes.append(contentsOf: [0x1B, 0x5D, 0x30, 0x3B, 0x07])
        bytes.append(Data("\"}\n".utf8))
        // A raw C1 byte and invalid UTF-8 (overlong, surrogate, 0xFF) are read as U+FFFD.
        bytes.append(Data(#"{"t":0.800000,"run":1,"type":"user_message","text":"bad "#.utf8))
        bytes.append(contentsOf: [0x9B, 0x33, 0x31, 0x6D, 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xFF])
        bytes.append(Data("\"}\n".utf8))
        try bytes.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// No byte that a terminal would act on: C0 other than newline, DEL, a lone 0x9B, and no
    /// C1 or bidi/zero-width characters once decoded.
    private static func expectInert(_ output: Data, _ label: String) {
        let forbiddenBytes = output.filter { ($0 < 0x20 && $0 != 0x0A) || $0 == 0x7F }
        #expect(forbiddenBytes.isEmpty, "\(label): raw control bytes \(Array(Set(forbiddenBytes)))")
        let text = String(decoding: output, as: UTF8.self)
        #expect(text.utf8.elementsEqual(output), "\(label): output is valid UTF-8")
        let forbiddenScalars = text.unicodeScalars.filter {
            (0x80...0x9F).contains($0.value) || [0x202E, 0x200D, 0x200B].contains($0.value)
        }
        #expect(forbiddenScalars.isEmpty, "\(label): \(forbiddenScalars.map { String($0.value, radix: 16) })")
    }

    private func run(_ arguments: [String]) async throws -> ConvtuiProcess {
        let process = try ConvtuiProcess(arguments)
        process.closeInput()
        #expect(await process.waitForExit() != nil)
        return process
    }

    @Test func replayExportAndCheckPrintOnlySanitizedText() async throws {
        let log = try Self.hostileLog()
        let replay = try await run(["replay", "--headless", log])
        let snapshot = try #require(replay.jsonLines.first)
        #expect(snapshot["type"] as? String == "snapshot")
        let transcript = (snapshot["transcript"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
        #expect(transcript.contains { $0.hasPrefix("a␛]0;pwned␇␛]52;c;cHduZWQ=␛\\␛[2J␍␈␇<U+009B>31m<U+202E>evil<U+200D>") })
        #expect(transcript.contains { $0.hasPrefix("bad \u{FFFD}31m\u{FFFD}") })
        #expect((snapshot["name"] as? String)?.hasPrefix("n␛]0;pwned␇") == true)
        var outputs = [("replay", replay)]
        for format in ["markdown", "text", "jsonl"] {
            outputs.append(("export \(format)", try await run(["export", log, "--format", format])))
        }
        let check = try await run(["log", "check", log])
        #expect(check.stdout.contains("line 9: not valid JSON"))
        outputs.append(("log check", check))
        for (label, process) in outputs {
            Self.expectInert(process.stdoutData, label + " stdout")
            Self.expectInert(process.stderrData, label + " stderr")
            #expect(!process.stdout.isEmpty, "\(label) printed something")
        }
    }
}
