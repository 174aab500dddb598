import Testing
@testable import ConvEngine

@Suite("JSON")
struct JSONTests {
    @Test func parsesAndWritesRoundTrip() throws {
        let text = #"{"a":[1,-2.5,true,false,null],"b":"x\"y\\z\n\u00e9","c":{}}"#
        let value = try JSONParser.parse(text)
        #expect(value["a"]?.arrayValue?.count == 5)
        #expect(value["b"]?.stringValue == "x\"y\\z\né")
        #expect(try JSONParser.parse(JSONWriter.string(value)) == value)
    }

    @Test func surrogatePairsAndLoneSurrogates() throws {
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSONParser.parse(#""\ud83d!""#) == .string("\u{FFFD}!"))
    }

    @Test func rejectsMalformedInputWithAPosition() {
        for bad in ["", "{", "[1,]", "{\"a\"}", "tru", "01", "1.", "\"abc", "{} x", "\"\u{1}\""] {
            #expect(throws: JSONParseError.self, "\(bad)") { try JSONParser.parse(bad) }
        }
        #expect(throws: JSONParseError(offset: 5, reason: "expected ':'")) { try JSONParser.parse(#"{"a" 1}"#) }
    }

    @Test func deepNestingIsRefusedNotCrashed() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    }

    @Test func numericAndStringIdsBothReadAsInt() throws {
        #expect(try JSONParser.parse("42").intValue == 42)
        #expect(try JSONParser.parse(#""42""#).intValue == 42)
        #expect(try JSONParser.parse("4.5").intValue == nil)
    }

    @Test func writerEscapesControlCharacters() {
        #expect(JSONWriter.string(.string("a\u{1B}b\u{7F}")) == #""a\u001bb\u007f""#)
        #expect(JSONWriter.string(.number(.nan)) == "null")
        #expect(JSONWriter.string(.number(0.25)) == "0.25")
    }

    @Test func writerEscapesEveryByteThatNeedsItWhereverItFalls() throws {
        #expect(JSONWriter.string(.string("")) == #""""#)
        #expect(JSONWriter.string(.string("\"")) == #""\"""#)
        #expect(JSONWriter.string(.string("q\"\\\n\r\té文\u{0}")) == #""q\"\\\n\r\té文\u0000""#)
        // Every ASCII byte, alone, at the start, in the middle and at the end of plain text.
        for byte in UInt8(0)...0x7F {
            let c = String(UnicodeScalar(byte))
            for text in [c, c + "ab", "ab" + c + "cd", "ab" + c, c + c] {
                let written = JSONWriter.string(.string(text))
                #expect(try JSONParser.parse(written) == .string(text), "byte \(byte)")
            }
        }
    }
}
