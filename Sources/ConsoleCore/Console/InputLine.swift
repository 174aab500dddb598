/// The text the operator is typing, with a cursor; edited by keys in input mode.
package struct InputLine: Equatable, Sendable {
    private(set) var characters: [Character] = []
    /// Position of the cursor, 0...characters.count.
    private(set) var cursor = 0

    package var text: String { String(characters) }

    package init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    package mutating func insert(_ character: Character) {
        characters.insert(character, at: cursor)
        cursor += 1
    }

    package mutating func deleteBackward() {
        guard cursor > 0 else { return }
        cursor -= 1
        characters.remove(at: cursor)
    }

    package mutating func deleteForward() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
    }

    package mutating func moveLeft() { cursor = max(0, cursor - 1) }
    package mutating func moveRight() { cursor = min(characters.count, cursor + 1) }
    package mutating func moveToStart() { cursor = 0 }
    package mutating func moveToEnd() { cursor = characters.count }

    /// Ctrl-U: deletes everything before the cursor.
    package mutating func deleteToStart() {
        characters.removeFirst(cursor)
        cursor = 0
    }

    /// Ctrl-W: deletes the word before the cursor, and the spaces after it.
    package mutating func deleteWordBackward() {
        var start = cursor
        while start > 0, characters[start - 1] == " " { start -= 1 }
        while start > 0, characters[start - 1] != " " { start -= 1 }
        characters.removeSubrange(start..<cursor)
        cursor = start
    }
}
