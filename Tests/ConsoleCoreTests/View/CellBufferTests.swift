import Testing

@testable import ConsoleCore

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

@Suite("Cell buffer changed spans")
struct CellBufferSpanTests {
    private static func spans(_ old: CellBuffer, _ new: CellBuffer) -> [String] {
        new.changedSpans(in: Rect(x: 0, y: 0, width: new.width, height: new.height), from: old)
            .map { "\($0.y):\($0.columns.lowerBound)-\($0.columns.upperBound)" }
    }

    @Test func onlyChangedStretchesCloseOnesJoined() {
        var old = CellBuffer(width: 30, height: 2)
        old.write("in 59 out 0 · audio 1.7s", x: 0, y: 0)
        var new = old
        #expect(Self.spans(old, new).isEmpty)
        new.write("60", x: 3, y: 0)
        new.write("2.0", x: 20, y: 0)
        new.write("x", x: 7, y: 1)
        #expect(Self.spans(old, new) == ["0:3-5", "0:20-23", "1:7-8"])
        new.write("1", x: 8, y: 0)
        #expect(Self.spans(old, new) == ["0:3-9", "0:20-23", "1:7-8"])
    }

    @Test func aStretchTakesWholeWideCharactersOldAndNew() {
        var old = CellBuffer(width: 10, height: 1)
        old.write("ab中cd", x: 0, y: 0)
        var new = old
        new.write("x", x: 3, y: 0)  // the right half of 中: both halves are rewritten
        #expect(Self.spans(old, new) == ["0:2-4"])
        var wide = old
        wide.write("文", x: 6, y: 0)
        #expect(Self.spans(old, wide) == ["0:6-8"])
    }

    @Test func copyingTheSpansMakesTheBuffersEqual() {
        var old = CellBuffer(width: 12, height: 3)
        old.write("hello 世界", x: 0, y: 1)
        var new = CellBuffer(width: 12, height: 3)
        new.write("help 世", x: 1, y: 1, style: CellStyle(.agent))
        new.write("─", x: 11, y: 2)
        for (y, columns) in new.changedSpans(in: Rect(x: 0, y: 0, width: 12, height: 3), from: old) {
            old.copy(row: y, columns: columns, from: new)
        }
        #expect(old == new)
    }
}

@Suite("Cell buffer fill")
struct CellBufferFillTests {
    @Test func fillingBlanksTheWideCharactersItsEdgesCut() {
        var buffer = CellBuffer(width: 8, height: 2)
        buffer.write("中文字体", x: 0, y: 0)
        buffer.fill(Rect(x: 1, y: 0, width: 4, height: 1), with: "-")
        #expect(buffer.line(0) == " ---- 体")
        #expect(!buffer[5, 0].isContinuation)
        buffer.fill(Rect(x: 0, y: 1, width: 8, height: 1), with: "=")
        #expect(buffer.line(1) == "========")
    }
}
