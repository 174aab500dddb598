import Foundation
import Testing
@testable import ConvEngine
import TestSupport

@Suite("Session log writer")
struct SessionLogWriterTests {
    private let header = SessionLogHeader(sessionNumber: 1, sessionName: "ava", backend: "sim", startedAtMicros: 0)
    private let events = TestLogs.conversation(count: 200)

    private func written(_ append: (SessionLogWriter) throws -> Void) throws -> Data {
        let path = makeTemporaryDirectory("convtui-writer-test") + "/log.jsonl"
        let writer = try SessionLogWriter(path: path, header: header)
        try append(writer)
        writer.close()
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    @Test func aBatchWritesTheSameBytesAsItsEventsOneByOne() throws {
        let oneByOne = try written { writer in
            for event in events { try writer.append(event) }
        }
        let batched = try written { writer in
            var rest = events[...]
            var size = 1
            while !rest.isEmpty {
                try writer.append(rest.prefix(size))
                rest = rest.dropFirst(size)
                size = size % 4 + 1
            }
        }
        #expect(batched == oneByOne)
        let lines = String(decoding: batched, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == events.count + 2)
        #expect(lines.last == "")
    }

    @Test func batchesReadBackAsTheEventsInOrder() throws {
        let path = makeTemporaryDirectory("convtui-writer-test") + "/log.jsonl"
        let writer = try SessionLogWriter(path: path, header: header)
        try writer.append(events[0..<3])
        try writer.append(events[3..<4])
        try writer.append(events[4...])
        writer.close()
        let log = try SessionLogReader.read(path: path)
        #expect(log.problems.isEmpty)
        #expect(log.events == events)
    }

    @Test func anEmptyBatchWritesNothingAndAClosedWriterRefuses() throws {
        let data = try written { writer in try writer.append(events.prefix(0)) }
        #expect(String(decoding: data, as: UTF8.self).split(separator: "\n").count == 1)
        let path = makeTemporaryDirectory("convtui-writer-test") + "/log.jsonl"
        let writer = try SessionLogWriter(path: path, header: header)
        writer.close()
        #expect(throws: LogWriteError.self) { try writer.append(events[0]) }
    }
}
