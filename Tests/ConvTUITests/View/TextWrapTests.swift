import Testing

@testable import ConvTUI

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
}
