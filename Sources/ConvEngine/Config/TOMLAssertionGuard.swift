/// Refuses the TOML that toml++ (inside TOMLKit) asserts on instead of reporting an error,
/// before the text reaches it: a table header without a first key (`[=`, `[.a]`, `[[[`) and a
/// `}` where an array expects a value (`a=[1,}`).
///
/// toml++ keeps its assertions in our debug and release builds alike (SwiftPM passes no
/// `NDEBUG`), so such a file aborted `convtui run` (both found by `convtui-fuzz config`). The
/// scan skips strings and comments and tracks brackets, so a `[` that opens a nested array on
/// its own line is not mistaken for a header.
///
/// It also refuses nesting deeper than ``maxDepth`` (dotted keys and headers, arrays, inline
/// tables): 50 000 nested table headers overflowed the stack of the recursive conversion.
enum TOMLAssertionGuard {
    /// The deepest nesting a config may have; a real one needs about four levels.
    static let maxDepth = 32

    /// The 1-based line of the first such construct and what is wrong, or nil if there is none.
    static func firstAssertingConstruct(in text: String) -> (line: Int, problem: String)? {
        let bytes = Array(text.utf8)
        var open: [UInt8] = []
        var expectingValue = false
        var line = 1
        var atLineStart = true
        var index = 0
        // Depth: the current table header's keys, plus the dotted key being read, plus brackets.
        var headerDepth = 0
        var keyDepth = 0
        var inKey = true
        var inHeader = false
        func byte(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }
        while index < bytes.count {
            let current = bytes[index]
            switch current {
            case UInt8(ascii: "\n"):
                line += 1
                atLineStart = true
                if open.isEmpty {
                    inKey = true
                    keyDepth = 0
                }
                index += 1
                continue
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                index += 1
                continue
            case UInt8(ascii: "#"):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                continue
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                index = endOfString(bytes, from: index, line: &line)
                expectingValue = false
            case UInt8(ascii: "["):
                let header = atLineStart && open.isEmpty
                if header {
                    var key = index + (byte(1) == UInt8(ascii: "[") ? 2 : 1)
                    while key < bytes.count, bytes[key] == UInt8(ascii: " ") || bytes[key] == UInt8(ascii: "\t") { key += 1 }
                    if key >= bytes.count || !startsKey(bytes[key]) { return (line, "a table header needs a key after '['") }
                }
                open.append(current)
                expectingValue = !header
                if header {
                    inHeader = true
                    inKey = true
                    keyDepth = 1
                }
                index += 1
            case UInt8(ascii: "{"):
                open.append(current)
                expectingValue = false
                inKey = true
                index += 1
            case UInt8(ascii: "."):
                if inKey { keyDepth += 1 }
                expectingValue = false
                index += 1
            case UInt8(ascii: "="):
                inKey = false
                expectingValue = false
                index += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if current == UInt8(ascii: "}"), expectingValue { return (line, "an array needs a value or ']' before '}'") }
                _ = open.popLast()
                expectingValue = false
                if inHeader, open.isEmpty {
                    inHeader = false
                    headerDepth = keyDepth
                    keyDepth = 0
                }
                index += 1
            case UInt8(ascii: ","):
                expectingValue = open.last == UInt8(ascii: "[")
                inKey = open.last == UInt8(ascii: "{")
                index += 1
            default:
                expectingValue = false
                index += 1
            }
            atLineStart = false
            if headerDepth + keyDepth + open.count > maxDepth { return (line, "nested deeper than \(maxDepth) levels") }
        }
        return nil
    }

    /// A bare key character, a quote, or the `]` of an empty header (which toml++ reports itself).
    private static func startsKey(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "]"):
            true
        default: false
        }
    }

    /// The index after the string starting at `start` (basic or literal, one- or multi-line),
    /// counting the newlines it spans.
    private static func endOfString(_ bytes: [UInt8], from start: Int, line: inout Int) -> Int {
        let quote = bytes[start]
        let multiLine = start + 2 < bytes.count && bytes[start + 1] == quote && bytes[start + 2] == quote
        var index = start + (multiLine ? 3 : 1)
        while index < bytes.count {
            let current = bytes[index]
            if current == UInt8(ascii: "\\"), quote == UInt8(ascii: "\"") {
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") { line += 1 }
                index += 2
                continue
            }
            if current == UInt8(ascii: "\n") {
                if !multiLine { return index }
                line += 1
            }
            if current == quote {
                if !multiLine { return index + 1 }
                if index + 2 < bytes.count, bytes[index + 1] == quote, bytes[index + 2] == quote { return index + 3 }
            }
            index += 1
        }
        return index
    }
}
