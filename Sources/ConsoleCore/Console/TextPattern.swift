/// What the operator typed to search or filter: a case-insensitive regular expression, or,
/// when the text is not a valid one (or has no regex syntax), the text itself. It keeps only
/// the text, so a model holding one stays a comparable, sendable value; ``matcher()``
/// compiles it for one pass over many lines.
package struct TextPattern: Equatable, Sendable {
    /// The text as typed.
    package let source: String
    /// Whether the text is matched as a regular expression (else as plain text).
    package let isRegex: Bool

    /// Nil for empty text: an empty search or filter means none.
    package init?(_ source: String) {
        guard !source.isEmpty else { return nil }
        self.source = source
        let special: Set<Character> = ["\\", ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "^", "$"]
        // Plain text is matched without the regex engine: a table filter runs over every row.
        isRegex = source.contains(where: special.contains) && (try? Regex(source)) != nil
    }

    /// The pattern compiled, for matching many texts.
    package func matcher() -> TextMatcher { TextMatcher(self) }

    /// Whether `text` contains a match (compiles the pattern for this one text).
    package func matches(_ text: some StringProtocol) -> Bool { matcher().matches(text) }
}

/// A ``TextPattern`` ready to match: the regex compiled or the text lowercased once.
package struct TextMatcher {
    private let needle: [Character]
    private let regex: Regex<AnyRegexOutput>?

    init(_ pattern: TextPattern) {
        needle = Array(pattern.source.lowercased())
        regex = pattern.isRegex ? (try? Regex(pattern.source))?.ignoresCase() : nil
    }

    /// Whether `text` contains a match.
    package func matches(_ text: some StringProtocol) -> Bool {
        if let regex { return (try? regex.firstMatch(in: String(text))) != nil }
        return String(text).lowercased().contains(String(needle))
    }

    /// The ranges of `text` that match, in order, none empty and none overlapping.
    package func ranges(in text: Substring) -> [Range<String.Index>] {
        if let regex { return text.matches(of: regex).map(\.range).filter { !$0.isEmpty } }
        // Lowercasing can change a character's scalars but rarely the character count; when it
        // does, nothing is highlighted rather than the wrong cells.
        let lower = Array(text.lowercased())
        guard !needle.isEmpty, lower.count == text.count else { return [] }
        let indices = Array(text.indices) + [text.endIndex]
        var result: [Range<String.Index>] = []
        var i = 0
        while i + needle.count <= lower.count {
            if lower[i..<(i + needle.count)].elementsEqual(needle) {
                result.append(indices[i]..<indices[i + needle.count])
                i += needle.count
            } else {
                i += 1
            }
        }
        return result
    }
}
