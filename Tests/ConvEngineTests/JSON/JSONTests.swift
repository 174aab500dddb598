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

    /// Numbers are numbers: a string spelling one is not an integer (a log's `"bytes":"4611686018427387904"`
    /// passed `log check` and then trapped export), nor is a number past 2^53−1.
    @Test func onlySafeIntegralNumbersReadAsInt() throws {
        #expect(try JSONParser.parse("42").intValue == 42)
        #expect(try JSONParser.parse(#""42""#).intValue == nil)
        #expect(try JSONParser.parse("4.5").intValue == nil)
        #expect(try JSONParser.parse("9007199254740991").intValue == JSONValue.maxSafeInteger)
        #expect(try JSONParser.parse("-9007199254740991").intValue == -JSONValue.maxSafeInteger)
        #expect(try JSONParser.parse("9007199254740993").intValue == nil)
        #expect(try JSONParser.parse("9223372036854775807").intValue == nil)
    }

    /// The writer wrote `Int.max` as `9.223372036854776e+18`, which the reader refused: it now
    /// writes every `.int` as an integer the reader takes back.
    @Test(arguments: [Int.max, Int.min, JSONValue.maxSafeInteger, JSONValue.maxSafeInteger + 1, 9_000_000_000_000_001, -5])
    func everyIntWrittenIsReadBack(value: Int) throws {
        let text = JSONWriter.string(.int(value))
        #expect(!text.contains("e") && !text.contains("."), "\(text)")
        #expect(try JSONParser.parse(text).intValue == min(max(value, -JSONValue.maxSafeInteger), JSONValue.maxSafeInteger))
    }

    @Test func writerEscapesControlCharacters() {
        #expect(JSONWriter.string(.string("a\u{1B}b\u{7F}")) == #""a\u001bb\u007f""#)
        #expect(JSONWriter.string(.number(.nan)) == "null")
        #expect(JSONWriter.string(.number(0.25)) == "0.25")
    }

    /// The writer before it copied runs whole: one byte at a time, each escaped on its own.
    private static func referenceString(_ s: String) -> [UInt8] {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = [0x22]
        for byte in s.utf8 {
            switch byte {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0x00..<0x20, 0x7F: out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        return out + [0x22]
    }

    @Test func stringsAreWrittenByteForByteAsBefore() {
        var random = SystemRandomNumberGenerator()
        let alphabet: [Character] = ["a", "Z", " ", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1B}", "\u{7F}", "é", "✓", "😀", "\u{202E}", "/"]
        var samples = ["", "plain", "\"", "\\", "ends with \n", "\u{1}starts", String(repeating: "long run ", count: 40)]
        for _ in 0..<500 {
            samples.append(String((0..<Int.random(in: 0...24, using: &random)).map { _ in alphabet.randomElement(using: &random)! }))
        }
        // A string that is not stored as contiguous UTF-8 (bridged or substring-backed) too.
        samples.append(String("prefix \"quoted\" suffix".dropFirst(7)))
        for sample in samples {
            var out: [UInt8] = [1, 2]
            JSONWriter.writeString(sample, into: &out)
            #expect(out == [1, 2] + Self.referenceString(sample), "\(sample.debugDescription)")
        }
    }

    @Test func integersAreWrittenAsStringDescribesThem() {
        var values: [Int64] = [0, 1, -1, 9, 10, 99, 100, -100, 123_456_789, Int64.max, Int64.min, Int64.max - 1, Int64.min + 1]
        for _ in 0..<500 { values.append(Int64.random(in: Int64.min...Int64.max)) }
        for _ in 0..<500 { values.append(Int64.random(in: -100_000...100_000)) }
        for value in values {
            var out: [UInt8] = []
            JSONWriter.writeInteger(value, into: &out)
            #expect(out == Array(String(value).utf8))
        }
        #expect(JSONWriter.string(.int(-42)) == "-42")
    }
}
