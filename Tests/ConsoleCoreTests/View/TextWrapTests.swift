import ConvEngine
import Testing

@testable import ConsoleCore

@Suite struct TextWrapTests {
    @Test func breaksAtSpaces() {
        #expect(TextWrap.wrap("the quick brown fox jumps", firstWidth: 10, width: 10) == ["the quick", "brown fox", "jumps"])
    }

    @Test func firstLineCanBeNarrower() {
        #expect(TextWrap.wrap("aaa bbb ccc", firstWidth: 4, width: 8) == ["aaa", "bbb ccc"])
    }

    @Test func longWordsBreakWhereTheyMust() {
        #expect(TextWrap.wrap("abcdefghij", firstWidth: 4, width: 4) == ["abcd", "efgh", "ij"])
    }

    @Test func chineseBreaksBetweenCharactersNeverInside() {
        let lines = TextWrap.wrap("您的包裹预计三天内送达", firstWidth: 5, width: 5)
        #expect(lines == ["您的", "包裹", "预计", "三天", "内送", "达"])
        for line in lines { #expect(CellWidth.of(line) <= 5) }
    }

    @Test func closingPunctuationNeverStartsALine() {
        #expect(TextWrap.wrap("谢谢你的帮助。", firstWidth: 12, width: 12) == ["谢谢你的帮", "助。"])
        #expect(TextWrap.wrap("好，好", firstWidth: 4, width: 4) == ["好，", "好"])
    }

    @Test func mixedScripts() {
        let lines = TextWrap.wrap("ok 谢谢你的帮助 bye", firstWidth: 8, width: 8)
        for line in lines { #expect(CellWidth.of(line) <= 8) }
        #expect(lines.joined() .replacingOccurrences(of: " ", with: "") == "ok谢谢你的帮助bye")
    }

    @Test func emptyTextIsOneEmptyLine() {
        #expect(TextWrap.wrap("", firstWidth: 5, width: 5) == [""])
    }

    /// The ASCII path breaks on bytes: it must give the lines the grapheme path gives, for
    /// runs of spaces, words longer than a line, and leading and trailing spaces.
    @Test func asciiBreaksAsCharactersDo() {
        var random = SimRandom(seed: 11)
        let pieces = ["a", "to", "word", "longerword", "averyveryverylongword", " ", "  ", "-", ".", "42"]
        for _ in 0..<500 {
            let count = Int(random.next() % 12)
            let text = (0..<count).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined(separator: " ")
            for (first, width) in [(1, 1), (3, 7), (10, 10), (12, 20), (40, 40)] {
                let fast = TextWrap.wrap(text[...], firstWidth: first, width: width)
                #expect(fast == TextWrap.wrapCharacters(text[...], firstWidth: first, width: width), "\(text) at \(first)/\(width)")
            }
        }
    }
}
