#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decides what one log line is during indexing, as cheaply as the line allows.
///
/// The writer always begins an event line with `{"t":SECONDS,"run":N,"type":"NAME"`, so the fast
/// path reads just that prefix (and checks the line closes with `}`), without building any JSON
/// value. A line that does not match the prefix goes through the full parser and event decoder,
/// so hand-edited but valid lines still count; only a line that fails both is corrupt.
///
/// The index and the ``ReplayCursor`` that reads events back use the same classifier with the
/// same ``Validation``, so they always agree on which lines are events.
struct EventLineClassifier: Sendable {
    /// How hard to look at each line.
    enum Validation: Sendable {
        /// Prefix scan, full parse only when the prefix does not match (indexing for replay).
        case fast
        /// Full parse and decode of every line (`log check`).
        case full
    }

    /// What a line is.
    enum Line {
        /// An event at `offset` µs of run `run`.
        case event(offset: Int64, run: Int, flags: ReplayEventFlags)
        case problem(LogProblem.Kind)
    }

    let validation: Validation

    /// Reads and classifies the next line of `scanner`; nil at the end of the file.
    /// - Parameter decoding: also decode an event line's payload (the cursor needs the event;
    ///   indexing does not). The event is nil when the payload does not decode, which only a
    ///   line that passed the fast path with a broken payload can do.
    func next(from scanner: inout LineScanner, decoding: Bool) -> (line: Line, event: SessionEvent?)? {
        let result = scanner.next { bytes, complete in classify(bytes, complete: complete, decoding: decoding) }
        guard let result else { return nil }
        return scanner.lastLineTruncated ? (.problem(.tooLong), nil) : result
    }

    private func classify(_ bytes: UnsafeRawBufferPointer, complete: Bool, decoding: Bool) -> (line: Line, event: SessionEvent?) {
        guard complete else { return (.problem(.tornTail), nil) }
        if validation == .fast, let prefix = Self.prefix(bytes) {
            let line = Line.event(offset: prefix.offset, run: prefix.run, flags: prefix.flags)
            guard decoding else { return (line, nil) }
            if let event = WriterLineDecoder.decode(bytes, prefix: prefix) { return (line, event) }
            guard case .success(let event) = SessionLogReader.parseEvent(bytes, complete: true) else { return (line, nil) }
            return (line, event)
        }
        switch SessionLogReader.parseEvent(bytes, complete: true) {
        case .success(let event): return (.event(offset: event.offset, run: event.run, flags: .of(event.kind)), event)
        case .failure(let kind): return (.problem(kind), nil)
        }
    }

    /// What the writer's fixed prefix says, and where the rest of the line starts.
    struct Prefix {
        let seconds: Int64
        let offset: Int64
        let run: Int
        let flags: ReplayEventFlags
        /// Where the type's name is on the line (not made a string: indexing never needs it).
        let type: Range<Int>
        /// The index of the byte after the type's closing quote.
        let payloadStart: Int
    }

    private static let tPrefix: StaticString = #"{"t":"#
    private static let runPrefix: StaticString = #","run":"#
    private static let typePrefix: StaticString = #","type":""#

    /// Reads the writer's fixed prefix; nil when the line is shaped any other way.
    static func fastPath(_ line: UnsafeRawBufferPointer) -> Line? {
        prefix(line).map { .event(offset: $0.offset, run: $0.run, flags: $0.flags) }
    }

    /// Reads the writer's fixed prefix `{"t":S.F,"run":N,"type":"NAME"`; nil when the line is
    /// shaped any other way.
    static func prefix(_ line: UnsafeRawBufferPointer) -> Prefix? {
        guard line.count > 24, line[line.count - 1] == UInt8(ascii: "}"), let base = line.baseAddress else { return nil }
        var i = 0
        // Once per line of every log read: static strings and `memcmp`, nothing retained.
        func expect(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard i + count <= line.count, memcmp(base + i, literal.utf8Start, count) == 0 else { return false }
            i += count
            return true
        }
        /// Up to `limit` decimal digits (at least one), as a value and a count.
        func digits(limit: Int) -> (value: Int64, count: Int)? {
            var value: Int64 = 0
            let first = i
            while i < line.count, i - first < limit, line[i] >= 0x30, line[i] <= 0x39 {
                value = value * 10 + Int64(line[i] - 0x30)
                i += 1
            }
            return i > first ? (value, i - first) : nil
        }
        guard expect(tPrefix), let seconds = digits(limit: 12), i < line.count, line[i] == UInt8(ascii: ".") else { return nil }
        i += 1
        // A seventh fraction digit or an exponent fails the `,"run":` that must follow: the parser judges.
        guard let fraction = digits(limit: 6), expect(runPrefix), let run = digits(limit: 9), run.value >= 1,
            expect(typePrefix)
        else { return nil }
        let nameStart = i
        while i < line.count, line[i] != UInt8(ascii: "\""), line[i] != UInt8(ascii: "\\") { i += 1 }
        guard i + 1 < line.count, line[i] == UInt8(ascii: "\""), line[i + 1] == UInt8(ascii: ",") || i + 2 == line.count else { return nil }
        let name = UnsafeRawBufferPointer(rebasing: line[nameStart..<i])
        guard let flags = ReplayEventFlags.forType(name) else { return nil }
        var micros = fraction.value
        for _ in fraction.count..<6 { micros *= 10 }
        return Prefix(
            seconds: seconds.value, offset: seconds.value * 1_000_000 + micros, run: Int(run.value), flags: flags,
            type: nameStart..<i, payloadStart: i + 1)
    }
}
