import Testing
@testable import ConvEngine

@Suite("Text sanitizer")
struct TextSanitizerTests {
    @Test func cleanTextIsReturnedUnchanged() {
        let text = "Hello, 世界! café 👍\nsecond line"
        #expect(TextSanitizer.sanitize(text) == text)
        #expect(TextSanitizer.isClean(text))
    }

    @Test func escapeSequencesBecomeVisible() {
        #expect(TextSanitizer.sanitize("\u{1B}[31mred\u{1B}[0m") == "␛[31mred␛[0m")
        // OSC 0 (window title) and OSC 52 (clipboard write), terminated by BEL and by ST.
        #expect(TextSanitizer.sanitize("\u{1B}]0;pwned\u{07}") == "␛]0;pwned␇")
        #expect(TextSanitizer.sanitize("\u{1B}]52;c;aGk=\u{1B}\\") == "␛]52;c;aGk=␛\\")
    }

    @Test func carriageReturnBackspaceAndBell() {
        #expect(TextSanitizer.sanitize("safe\rEVIL") == "safe␍EVIL")
        #expect(TextSanitizer.sanitize("line\r\nnext") == "line\nnext")
        #expect(TextSanitizer.sanitize("trailing\r") == "trailing␍")
        #expect(TextSanitizer.sanitize("abc\u{08}\u{08}x") == "abc␈␈x")
        #expect(TextSanitizer.sanitize("ding\u{07}") == "ding␇")
        #expect(TextSanitizer.sanitize("a\tb") == "a b")
        #expect(TextSanitizer.sanitize("del\u{7F}") == "del␡")
        #expect(TextSanitizer.sanitize("nul\u{0}") == "nul␀")
    }

    @Test func c1ControlsBecomeCodePoints() {
        // U+009B is the 8-bit CSI; U+0085 is NEL.
        #expect(TextSanitizer.sanitize("a\u{9B}31mb") == "a<U+009B>31mb")
        #expect(TextSanitizer.sanitize("x\u{85}y") == "x<U+0085>y")
    }

    @Test func bidiOverridesAndZeroWidthCharacters() {
        #expect(TextSanitizer.sanitize("abc\u{202E}fed") == "abc<U+202E>fed")
        #expect(TextSanitizer.sanitize("\u{2066}iso\u{2069}") == "<U+2066>iso<U+2069>")
        #expect(TextSanitizer.sanitize("zero\u{200B}width") == "zero<U+200B>width")
        #expect(TextSanitizer.sanitize("\u{FEFF}bom") == "<U+FEFF>bom")
        #expect(TextSanitizer.sanitize("line\u{2028}sep") == "line<U+2028>sep")
    }

    @Test func invalidUTF8BecomesReplacementCharacter() {
        let bytes: [UInt8] = [0x61, 0xFF, 0xC3, 0x28, 0x62]
        #expect(TextSanitizer.sanitize(bytes: bytes) == "a\u{FFFD}\u{FFFD}(b")
    }

    @Test func sanitizingTwiceChangesNothing() {
        let hostile = "\u{1B}[2J\u{9B}\u{202E}\r\u{08}\u{200D}"
        let once = TextSanitizer.sanitize(hostile)
        #expect(TextSanitizer.sanitize(once) == once)
        #expect(TextSanitizer.isClean(once))
    }

    @Test func noControlScalarSurvivesRandomInput() {
        var random = SimRandom(seed: 42)
        for _ in 0..<2000 {
            let scalars = (0..<Int.random(in: 0...24, using: &random)).compactMap { _ in
                Unicode.Scalar(UInt32.random(in: 0...0x2100, using: &random))
            }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars)
            let clean = TextSanitizer.sanitize(String(text))
            for scalar in clean.unicodeScalars {
                #expect(scalar == "\n" || !(scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value)))
                #expect(scalar.properties.generalCategory != .format)
            }
        }
    }
}
