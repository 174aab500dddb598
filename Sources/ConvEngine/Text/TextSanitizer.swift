/// Makes text from the outside world safe to keep in state and draw on a terminal.
///
/// Applied once, at ingest (agent replies, transcripts, tool names, session names, log files),
/// so nothing downstream has to think about it. ncurses still executes `\r` and `\b` and passes
/// bidi overrides through, so this is the only line of defence:
///
/// - `\n` is kept (the view splits on it); `\r\n` becomes `\n`; a tab becomes a space.
/// - Other C0 controls and DEL become their visible Control Pictures (`ESC` → `␛`, `CR` → `␍`).
/// - C1 controls, Unicode format characters (bidi overrides and isolates, zero-width characters,
///   BOM, soft hyphen) and line/paragraph separators become a visible `<U+XXXX>`.
/// - Invalid UTF-8 (in ``sanitize(bytes:)``) becomes U+FFFD.
public enum TextSanitizer {
    /// The sanitized form of `text`; returns `text` itself when it is already clean.
    public static func sanitize(_ text: String) -> String {
        if isClean(text) { return text }
        var out = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if previousWasCR {
                previousWasCR = false
                if scalar == "\n" {
                    out.append("\n")
                    continue
                }
                out.append("\u{240D}")
            }
            let v = scalar.value
            switch v {
            case 0x0A: out.append(scalar)
            case 0x0D: previousWasCR = true
            case 0x09: out.append(" ")
            case 0x00..<0x20: out.append(Unicode.Scalar(0x2400 + v)!)
            case 0x7F: out.append("\u{2421}")
            default:
                if needsEscape(scalar) {
                    out.append(contentsOf: visibleEscape(v).unicodeScalars)
                } else {
                    out.append(scalar)
                }
            }
        }
        if previousWasCR { out.append("\u{240D}") }
        return String(out)
    }

    /// Decodes bytes as UTF-8 (invalid sequences become U+FFFD), then sanitizes.
    public static func sanitize<Bytes: Collection>(bytes: Bytes) -> String where Bytes.Element == UInt8 {
        sanitize(String(decoding: bytes, as: UTF8.self))
    }

    /// True when `text` would come back unchanged.
    public static func isClean(_ text: String) -> Bool {
        for byte in text.utf8 {
            // ASCII controls (other than newline) and anything non-ASCII need a closer look.
            if byte >= 0x80 { return scalarsAreClean(text) }
            if (byte < 0x20 && byte != 0x0A) || byte == 0x7F { return false }
        }
        return true
    }

    private static func scalarsAreClean(_ text: String) -> Bool {
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if (v < 0x20 && v != 0x0A) || v == 0x7F || needsEscape(scalar) { return false }
        }
        return true
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return false }
        if (0x80..<0xA0).contains(v) { return true }
        switch scalar.properties.generalCategory {
        case .format, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    private static func visibleEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
    }
}
