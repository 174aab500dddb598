import Testing

@testable import ConvTUI

@Suite struct CellBufferTests {
    @Test func wideCharactersTakeTwoCellsAndReadOnce() {
        var buffer = CellBuffer(width: 6, height: 1)
        let end = buffer.write("a中b", x: 0, y: 0)
        #expect(end == 4)
        #expect(buffer.line(0) == "a中b  ")
        #expect(buffer[2, 0].isContinuation)
    }

    @Test func aWideCharacterAtTheEdgeBecomesABlank() {
        var buffer = CellBuffer(width: 4, height: 1)
        buffer.write("abc中", x: 0, y: 0)
        #expect(buffer.line(0) == "abc ")
        #expect(!buffer[3, 0].isContinuation)
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var buffer = CellBuffer(width: 4, height: 1)
        buffer.write("中文", x: 0, y: 0)
        buffer.write("x", x: 1, y: 0)
        #expect(buffer.line(0) == " x文")
        buffer.write("y", x: 2, y: 0)
        #expect(buffer.line(0) == " xy ")
    }

    @Test func controlCharactersNeverReachACell() {
        var buffer = CellBuffer(width: 10, height: 1)
        buffer.write("a\u{1B}]0;x\u{07}b\u{9B}c", x: 0, y: 0)
        #expect(buffer.line(0) == "a]0;xbc   ")
    }

    @Test func widths() {
        #expect(CellWidth.of("a") == 1)
        #expect(CellWidth.of("中") == 2)
        #expect(CellWidth.of("，") == 2)
        #expect(CellWidth.of("😀") == 2)
        #expect(CellWidth.of("e\u{301}") == 1)
        #expect(CellWidth.of(Character("\u{301}")) == 0)
        #expect(CellWidth.of("한국어") == 6)
        #expect(CellWidth.of("\u{1B}") == 0)
        #expect(CellWidth.of("─│┌╔═╝▌█") == 8)
    }
}
