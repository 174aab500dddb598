/// Finds, in bytes written to a terminal, anything the terminal would act on beyond drawing
/// text the way curses draws it.
///
/// Allowed: printable UTF-8; BS, HT, LF and CR (cursor movement); and escape sequences of the
/// kinds curses emits for cursor movement, attributes, erasing, scrolling regions, modes and
/// character sets. Everything else is reported, in particular OSC (`ESC ]`: title changes,
/// clipboard writes), DCS, APC, PM and SOS strings, a terminal reset, queries whose answer
/// would arrive as typed input (device status, window reports), BEL and other C0 controls,
/// DEL, invalid UTF-8 (a raw 0x9B is a C1 CSI to some terminals), C1 controls, and format
/// characters (bidi overrides, zero-width characters) and line/paragraph separators.
enum TerminalOutputAudit {
    /// CSI finals of cursor movement (A–H, Z, d, f), erasing and editing (J, K, X, @, P, L, M),
    /// scrolling (S, T, r), repeat (b), attributes (m) and modes (h, l).
    private static let csiFinals = Set("ABCDEFGHJKLMPSTXZ@bdfhlmr".utf8)

    /// One line per problem found, with its byte offset.
    static func problems(in bytes: [UInt8]) -> [String] {
        var problems: [String] = []
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == 0x1B {
                let (length, problem) = escapeSequence(bytes, at: i)
                if let problem { problems.append("byte \(i): \(problem)") }
                i += length
                continue
            }
            if (byte < 0x20 && ![0x08, 0x09, 0x0A, 0x0D].contains(byte)) || byte == 0x7F {
                problems.append("byte \(i): control byte 0x\(String(byte, radix: 16))")
            }
            i += 1
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return problems + ["invalid UTF-8 (a raw C1 byte or a broken sequence)"]
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let category = scalar.properties.generalCategory
            if (0x80...0x9F).contains(value) || [.format, .lineSeparator, .paragraphSeparator].contains(category) {
                problems.append("character U+\(String(value, radix: 16, uppercase: true))")
            }
        }
        return problems
    }

    /// The length of the escape sequence starting at `start`, and what is wrong with it.
    private static func escapeSequence(_ bytes: [UInt8], at start: Int) -> (Int, String?) {
        guard start + 1 < bytes.count else { return (1, "ESC at the end of the output") }
        let kind = bytes[start + 1]
        switch kind {
        case UInt8(ascii: "["):
            var end = start + 2
            while end < bytes.count, (0x20...0x3F).contains(bytes[end]) { end += 1 }
            guard end < bytes.count else { return (end - start, "unterminated CSI") }
            let parameters = String(decoding: bytes[(start + 2)..<end], as: UTF8.self)
            let final = bytes[end]
            let sequence = "CSI \(parameters) \(Character(Unicode.Scalar(final)))"
            let length = end - start + 1
            // Digits and semicolons, after a DEC private `?` at most: no other private markers
            // and no intermediate bytes (soft reset, cursor style, and the like).
            let plain = parameters.drop { $0 == "?" }.allSatisfy { $0.isNumber || $0 == ";" } && parameters.filter { $0 == "?" }.count <= 1
            guard plain else { return (length, "unexpected \(sequence)") }
            if final == UInt8(ascii: "t") {
                // Only the title stack push and pop that xterm's alternate-screen capabilities
                // carry; other window operations can report the title back as typed input.
                let operation = parameters.split(separator: ";").first
                return (length, operation == "22" || operation == "23" ? nil : "window operation \(sequence)")
            }
            if ["h", "l"].contains(Character(Unicode.Scalar(final))) { return (length, nil) }
            return (length, csiFinals.contains(final) && !parameters.hasPrefix("?") ? nil : "unexpected \(sequence)")
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"):
            // Character set designation, such as `ESC ( B` and `ESC ( 0` for line drawing.
            guard start + 2 < bytes.count, (0x30...0x7E).contains(bytes[start + 2]) else { return (2, "broken charset designation") }
            return (3, nil)
        case UInt8(ascii: "7"), UInt8(ascii: "8"), UInt8(ascii: "="), UInt8(ascii: ">"), UInt8(ascii: "M"):
            // Save and restore the cursor, keypad modes, reverse index.
            return (2, nil)
        case UInt8(ascii: "]"): return (2, "OSC (ESC ]): title, clipboard or colour change")
        case UInt8(ascii: "P"): return (2, "DCS (ESC P)")
        case UInt8(ascii: "_"): return (2, "APC (ESC _)")
        case UInt8(ascii: "^"): return (2, "PM (ESC ^)")
        case UInt8(ascii: "X"): return (2, "SOS (ESC X)")
        case UInt8(ascii: "c"): return (2, "terminal reset (ESC c)")
        default: return (2, "unexpected ESC 0x\(String(kind, radix: 16))")
        }
    }
}
