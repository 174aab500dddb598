import Testing
@testable import ConvEngine

@Suite("Log check")
struct SessionLogCheckTests {
    let logs = TestLogs()

    func check(_ name: String, _ text: String) -> SessionLogCheck {
        SessionLogCheck.run(path: logs.file(name, text))
    }

    var goodLines: [String] {
        [
            TestLogs.headerLine(),
            TestLogs.line(SessionEvent(offset: 100, run: 1, kind: .runStarted(backend: "sim"))),
            TestLogs.line(SessionEvent(offset: 2_500_000, run: 1, kind: .ended(reason: "done"))),
        ]
    }

    @Test func aGoodLogGetsOneLine() {
        let result = check("good.jsonl", goodLines.joined(separator: "\n") + "\n")
        #expect(result.isOK)
        #expect(result.lines == ["\(result.path): ok: 2 events, 1 run, 00:02.500"])
    }

    @Test func aTornTailIsReported() {
        let result = check("torn.jsonl", goodLines.joined(separator: "\n") + "\n{\"t\":3.0,\"ru")
        #expect(!result.isOK)
        #expect(result.lines.first == "\(result.path): line 4: torn last line (the writer stopped mid-line); ignored")
        #expect(result.lines.last?.hasSuffix("1 problem; readable: 2 events, 1 run, 00:02.500") == true)
    }

    @Test func corruptMiddleLinesAreNumbered() {
        var lines = goodLines
        lines.insert("{\"t\":1.0,\"run\":1,\"type\":\"user_message\"}", at: 2)
        lines.insert("\u{1}\u{2}binary", at: 2)
        let result = check("corrupt.jsonl", lines.joined(separator: "\n") + "\n")
        #expect(!result.isOK)
        #expect(result.lines.count == 3)
        #expect(result.lines[0].contains("line 3: not valid JSON"))
        #expect(result.lines[1].contains("line 4: not a valid event (user_message: \"text\" is missing or not a string)"))
    }

    @Test(arguments: [
        ("empty.jsonl", "", "the file is empty"),
        ("header.jsonl", "{\"format\":\"something-else\"}\n", "not a convtui session log"),
        ("nojson.jsonl", "hello\n", "the first line is not JSON"),
        ("v9.jsonl", TestLogs.headerLine(version: 9) + "\n", "log format version 9 is not supported"),
        ("garbage.bin", "\u{0}\u{0}\u{7F}\u{1B}[2J", "the first line is incomplete"),
        ("badheader.jsonl", "{\"format\":\"convtui-session-log\",\"version\":1}\n", "bad log header"),
    ])
    func unusableFilesAreNamedWithTheReason(name: String, text: String, reason: String) {
        let result = check(name, text)
        #expect(!result.isOK)
        #expect(result.lines.count == 1)
        #expect(result.lines[0].hasPrefix(result.path + ": "))
        #expect(result.lines[0].contains(reason), "\(result.lines[0])")
    }

    @Test func missingFilesAndDirectories() {
        let missing = SessionLogCheck.run(path: logs.directory + "/nope.jsonl")
        #expect(missing.lines == ["\(logs.directory)/nope.jsonl: cannot open: No such file or directory"])
        let directory = SessionLogCheck.run(path: logs.directory)
        #expect(directory.lines == ["\(logs.directory): cannot open: it is a directory"])
    }

    @Test func manyProblemsAreCappedInTheReport() {
        let lines = [TestLogs.headerLine()] + Array(repeating: "x", count: ReplayIndex.maxStoredProblems + 5)
        let result = check("many.jsonl", lines.joined(separator: "\n") + "\n")
        #expect(result.lines.count == ReplayIndex.maxStoredProblems + 2)
        #expect(result.lines[result.lines.count - 2].hasSuffix("… and 5 more problems"))
    }
}
