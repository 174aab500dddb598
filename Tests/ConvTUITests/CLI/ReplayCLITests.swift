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
