import Testing

@testable import ConsoleCore

@Suite("Headless stdin lines")
struct InputLinesTests {
    @Test func splitsLinesAcrossReads() {
        var lines = InputLines()
        #expect(lines.feed(Array("sto".utf8)) == [])
        #expect(lines.feed(Array("p 1\nsend 2 hi\n\nqu".utf8)) == [.text("stop 1"), .text("send 2 hi"), .text("")])
        #expect(lines.finish() == .text("qu"))
        #expect(lines.finish() == nil)
    }

    @Test func aLineOverTheCapIsSkippedAndCounted() {
        var lines = InputLines(maximumLength: 8)
        #expect(lines.feed(Array("12345678\n".utf8)) == [.text("12345678")])
        #expect(lines.feed(Array("123456".utf8)) == [])
        #expect(lines.feed(Array("789".utf8)) == [])
        #expect(lines.feed(Array("0123\nquit\n".utf8)) == [.tooLong(bytes: 13), .text("quit")])
        #expect(lines.feed(Array("123456789".utf8)) == [])
        #expect(lines.finish() == .tooLong(bytes: 9))
    }

    @Test func theDefaultCapIsOneMebibyte() {
        var lines = InputLines()
        let long = [UInt8](repeating: 0x61, count: InputLines.maximumLength + 1) + [0x0A]
        #expect(lines.feed(long) == [.tooLong(bytes: InputLines.maximumLength + 1)])
        #expect(InputLines.maximumLength == 1_048_576)
    }
}
