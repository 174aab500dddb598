/// Splits bytes read from stdin into lines, with a cap on a line's length: a longer line is
/// not kept in memory (its bytes are skipped up to its newline) and comes out as
/// ``Line/tooLong(bytes:)``, so a client cannot make the process hold an unbounded line.
package struct InputLines: Sendable {
    /// The longest line kept, in bytes without its newline.
    package static let maximumLength = 1 << 20

    /// One line read.
    package enum Line: Equatable, Sendable {
        case text(String)
        /// A line over ``maximumLength``, this many bytes long, skipped.
        case tooLong(bytes: Int)
    }

    private let maximumLength: Int
    private var pending: [UInt8] = []
    /// Bytes of the current line skipped because it is too long; nil while it is not.
    private var skipped: Int?

    package init(maximumLength: Int = InputLines.maximumLength) {
        self.maximumLength = maximumLength
    }

    /// The lines `bytes` completes.
    package mutating func feed<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [Line] {
        var lines: [Line] = []
        var start = bytes.startIndex
        while start != bytes.endIndex {
            let newline = bytes[start...].firstIndex(of: 0x0A)
            let piece = bytes[start..<(newline ?? bytes.endIndex)]
            if let count = skipped {
                skipped = count + piece.count
            } else if pending.count + piece.count > maximumLength {
                skipped = pending.count + piece.count
                pending = []
            } else {
                pending.append(contentsOf: piece)
            }
            guard let newline else { break }
            lines.append(finishLine())
            start = bytes.index(after: newline)
        }
        return lines
    }

    /// The last line, when the input ends without a newline.
    package mutating func finish() -> Line? {
        pending.isEmpty && skipped == nil ? nil : finishLine()
    }

    private mutating func finishLine() -> Line {
        defer {
            pending = []
            skipped = nil
        }
        if let skipped { return .tooLong(bytes: skipped) }
        return .text(String(decoding: pending, as: UTF8.self))
    }
}
