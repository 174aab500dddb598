import ArgumentParser
import ConvEngine
import Foundation
import Testing
@testable import ConvTUI

@Suite("Replay, export and log check commands")
struct ReplayCLITests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("ConvEngineTests/Fixtures/export-sample.jsonl").path

    @Test func replayOptionsParse() throws {
        let command = try #require(
            try ConvTUICommand.parseAsRoot([
                "replay", "--headless", "--to", "3.5", "--align", "start", "--idle-limit", "2", "--speed", "8", "a.jsonl", "b.jsonl",
            ]) as? ReplayCommand)
        #expect(command.logs == ["a.jsonl", "b.jsonl"])
        #expect(command.align == .start)
        #expect(command.idleLimit == 2)
        #expect(command.speed == 8)
        #expect(command.headless)
        #expect(command.target == .time(3_500_000))
        let defaults = try #require(try ConvTUICommand.parseAsRoot(["replay", "a.jsonl"]) as? ReplayCommand)
        #expect(defaults.align == .wallClock)
        #expect(defaults.target == .end)
    }

    @Test(arguments: [
        ["replay"], ["replay", "--to", "soon", "a.jsonl"], ["replay", "--speed", "100", "a.jsonl"],
        ["replay", "--idle-limit", "0", "a.jsonl"], ["replay", "--align", "sideways", "a.jsonl"],
        ["export", "a.jsonl", "--format", "pdf"], ["log", "check"],
    ])
    func badArgumentsAreRefused(arguments: [String]) {
        #expect(throws: (any Error).self) { try ConvTUICommand.parseAsRoot(arguments) }
    }

    @Test func exportWritesTheFileItIsGiven() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("convtui-export-\(UUID().uuidString).md").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let command = try #require(
            try ConvTUICommand.parseAsRoot(["export", Self.fixture, "--format", "markdown", "--output", output]) as? ExportCommand)
        try command.run()
        let written = try String(contentsOfFile: output, encoding: .utf8)
        #expect(written.hasPrefix("# Session 2: lina\n"))
        let mode = try FileManager.default.attributesOfItem(atPath: output)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func exportOfAMissingLogFailsWithoutCreatingTheOutput() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("convtui-export-\(UUID().uuidString).md").path
        let command = try #require(
            try ConvTUICommand.parseAsRoot(["export", "/nonexistent/x.jsonl", "--output", output]) as? ExportCommand)
        #expect(throws: ExitCode.failure) { try command.run() }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func logCheckFailsOnABadFile() throws {
        let command = try #require(try ConvTUICommand.parseAsRoot(["log", "check", "/nonexistent/x.jsonl"]) as? LogCheckCommand)
        #expect(throws: ExitCode.failure) { try command.run() }
    }
}

/// `replay DIR` and `export` of several logs.
@Suite("Several logs")
struct SeveralLogsCLITests {
    /// A directory holding the fixture twice under sortable names, a non-log and a hidden file.
    private static func directory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convtui-logs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        let log = try String(contentsOfFile: ReplayCLITests.fixture, encoding: .utf8)
        try log.write(toFile: dir + "/b-02-lina.jsonl", atomically: true, encoding: .utf8)
        try log.replacingOccurrences(of: #""session":2,"#, with: #""session":1,"#)
            .write(toFile: dir + "/a-01-lina.jsonl", atomically: true, encoding: .utf8)
        try "not a log".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
        try "x".write(toFile: dir + "/.hidden.jsonl", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func aDirectoryStandsForItsLogsSortedByName() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try LogArguments.expand(["x.jsonl", dir, "y.jsonl"]) == ["x.jsonl", dir + "/a-01-lina.jsonl", dir + "/b-02-lina.jsonl", "y.jsonl"])
        let empty = dir + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: false)
        #expect(throws: LogArguments.ExpansionError.self) { try LogArguments.expand([empty]) }
    }

    @Test func severalLogsExportCombinedOrOneFileEach() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let combined = dir + "/all.md"
        let command = try #require(try ConvTUICommand.parseAsRoot(["export", dir, "--output", combined]) as? ExportCommand)
        try command.run()
        let text = try String(contentsOfFile: combined, encoding: .utf8)
        let first = try #require(text.range(of: "# Session 1: lina"))
        let second = try #require(text.range(of: "# Session 2: lina"))
        #expect(first.lowerBound < second.lowerBound && text[first.upperBound..<second.lowerBound].contains("\n---\n"))

        let jsonl = dir + "/all.events"
        try #require(try ConvTUICommand.parseAsRoot(["export", dir, "--format", "jsonl", "--output", jsonl]) as? ExportCommand).run()
        let lines = try String(contentsOfFile: jsonl, encoding: .utf8).split(separator: "\n")
        #expect(lines.first?.hasPrefix(#"{"session":1,"name":"lina","t":"#) == true)
        #expect(lines.last?.hasPrefix(#"{"session":2,"name":"lina","t":"#) == true)

        let each = dir + "/each"
        try FileManager.default.createDirectory(atPath: each, withIntermediateDirectories: false)
        try #require(try ConvTUICommand.parseAsRoot(["export", dir, "--format", "text", "--output-dir", each]) as? ExportCommand).run()
        #expect(try FileManager.default.contentsOfDirectory(atPath: each).sorted() == ["a-01-lina.txt", "b-02-lina.txt"])
        #expect(try String(contentsOfFile: each + "/a-01-lina.txt", encoding: .utf8).hasPrefix("Session 1: lina"))
    }

    @Test func anUnreadableLogLeavesTheCombinedFileAsItWasAndFails() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let combined = dir + "/all.md"
        try "before".write(toFile: combined, atomically: true, encoding: .utf8)
        let command = try #require(
            try ConvTUICommand.parseAsRoot(["export", dir + "/a-01-lina.jsonl", dir + "/notes.txt", "--output", combined]) as? ExportCommand)
        #expect(throws: ExitCode.failure) { try command.run() }
        #expect(try String(contentsOfFile: combined, encoding: .utf8) == "before")
        #expect(throws: (any Error).self) { try ConvTUICommand.parseAsRoot(["export", "a.jsonl", "--output", "x", "--output-dir", "d"]) }
    }
}
