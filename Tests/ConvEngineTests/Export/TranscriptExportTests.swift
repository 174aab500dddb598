import Foundation
import Testing
@testable import ConvEngine

@Suite("Transcript export")
struct TranscriptExportTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path

    static func export(_ path: String, _ format: ExportFormat) throws -> (String, [LogProblem]) {
        var bytes: [UInt8] = []
        let problems = try TranscriptExport.export(path: path, format: format) { bytes += $0 }
        return (String(decoding: bytes, as: UTF8.self), problems)
    }

    @Test(arguments: [(ExportFormat.markdown, "md"), (.text, "txt"), (.jsonl, "jsonl")])
    func matchesTheGoldenFile(format: ExportFormat, suffix: String) throws {
        let (output, problems) = try Self.export("\(Self.fixtures)/export-sample.jsonl", format)
        let golden = try String(contentsOfFile: "\(Self.fixtures)/export-sample.golden.\(suffix)", encoding: .utf8)
        #expect(problems.isEmpty)
        #expect(output == golden)
    }

    @Test func jsonlIsTheDecodedEventsReencoded() throws {
        let path = "\(Self.fixtures)/export-sample.jsonl"
        let (output, _) = try Self.export(path, .jsonl)
        let events = try SessionLogReader.read(path: path).events
        #expect(output == events.map { TestLogs.line($0) + "\n" }.joined())
    }

    @Test func longConversationsMatchTheReducersTranscript() throws {
        let logs = TestLogs()
        let events = TestLogs.conversation(count: 2000, seed: 9)
        let path = logs.log("long", events: events)
        var state = SessionState(backend: "sim", transcriptCapacity: 100_000)
        for event in events { state.apply(event) }
        let (output, _) = try Self.export(path, .text)
        let entries = output.split(separator: "\n").filter { $0.hasPrefix("[") }
        #expect(entries.count == state.transcript.count)
        for (line, entry) in zip(entries, state.transcript) {
            #expect(line.hasSuffix(": " + entry.text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n    ")))
            #expect(line.contains("(interrupted)") == (entry.status == .interrupted))
        }
    }

    @Test func operatorMarksAppearInEveryFormat() throws {
        let logs = TestLogs()
        let events = [
            SessionEvent(offset: 0, run: 1, kind: .runStarted(backend: "sim")),
            SessionEvent(offset: 1_000_000, run: 1, kind: .mark(note: "slow greeting")),
            SessionEvent(offset: 2_000_000, run: 1, kind: .mark(note: "")),
        ]
        let path = logs.log("marks", events: events)
        for format in [ExportFormat.markdown, .text] {
            let (output, _) = try Self.export(path, format)
            #expect(output.contains("◆ mark: slow greeting"), "\(format)")
            #expect(output.contains("◆ mark\n"), "\(format)")
        }
        #expect(try Self.export(path, .jsonl).0.contains(#""type":"mark","note":"slow greeting""#))
    }

    @Test func markdownCharactersAreEscaped() {
        let escaped = ##"\*bold\* \[x\](y) \<b\> \# \_u\_"##
        #expect(TranscriptExport.markdownEscaped("*bold* [x](y) <b> # _u_") == escaped)
    }
}
