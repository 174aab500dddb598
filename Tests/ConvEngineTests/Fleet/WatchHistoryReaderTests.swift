import ConvEngine
import Foundation
import Testing
import TestSupport

@Suite("Watch history read from the logs")
struct WatchHistoryReaderTests {
    private let events = (1...3).map { SessionEvent(offset: Int64($0) * 1_000, run: 1, kind: .agentTextDone(responseId: "r\($0)", text: "line \($0)")) }

    /// The journal's own framing of session 1 ("ava") events, from a journal that keeps them all.
    private func journalLines() async -> [WatchLine] {
        let journal = EventJournal()
        let watcher = journal.watch(from: 1)
        for event in events { journal.record(session: 1, name: "ava", event) }
        guard case .lines(let lines, _, _)? = await watcher.next() else { return [] }
        return lines
    }

    /// A journal whose ring holds only the last of the three events: the first two are history.
    private func history() throws -> WatchHistory {
        let journal = EventJournal(capacity: 1, historyLimit: 100)
        for event in events { journal.record(session: 1, name: "ava", event) }
        return try #require(journal.watch(from: 1).history)
    }

    private func logLine(_ event: SessionEvent) -> String {
        var bytes: [UInt8] = []
        event.writeLogLine(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private func log(_ text: String) throws -> String {
        let path = makeTemporaryDirectory() + "/ava.jsonl"
        try (#"{"format":"convtui-session-log","version":2}"# + "\n" + text).write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    @Test("lines come from the log framed byte for byte as the journal frames them, then the end")
    func framedAsTheJournal() async throws {
        let path = try log(events.map(logLine).joined(separator: "\n") + "\n")
        let reader = WatchHistoryReader(try history(), sources: [1: SessionLogSource(path: path, name: "ava")])
        let lines = try await reader.next(limit: 10)
        #expect(lines == Array(await journalLines().prefix(2)))
        #expect(try await reader.next(limit: 10).isEmpty)
    }

    @Test("a line still being written is waited for; a log that stops short, or holds a line that is not an event's, is an error")
    func partialShortAndForeignLines() async throws {
        let path = try log(logLine(events[0]) + "\n" + logLine(events[1]).prefix(10))
        let reader = WatchHistoryReader(try history(), sources: [1: SessionLogSource(path: path, name: "ava")])
        #expect(try await reader.next(limit: 10).map(\.sequence) == [1])
        let rest = Task { try await reader.next(limit: 10) }
        try await Task.sleep(for: .milliseconds(50))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data((logLine(events[1]).dropFirst(10) + "\n").utf8))
        try handle.close()
        #expect(try await rest.value == Array(await journalLines()[1...1]))

        let short = WatchHistoryReader(
            try history(), sources: [1: SessionLogSource(path: try log(""), name: "ava")], patience: .milliseconds(50))
        await #expect(throws: WatchHistoryError.self) { try await short.next(limit: 10) }

        let foreign = WatchHistoryReader(try history(), sources: [1: SessionLogSource(path: try log("[1,2]\n"), name: "ava")])
        do {
            _ = try await foreign.next(limit: 10)
            Issue.record("a line that is not an event's was read")
        } catch {
            #expect(error.at == 1 && error.missed == 2 && error.reason.contains("not an event line"))
        }
    }
}
