@testable import ConvEngine
import Testing

@testable import ConsoleCore

@Suite struct TranscriptLinesTests {
    /// Every line of `snapshot`'s transcript laid out afresh.
    private static func fresh(_ snapshot: SessionSnapshot, width: Int) -> [[StyledRun]] {
        snapshot.state.transcript.flatMap { TranscriptLines.layout($0, width: width) }
    }

    private static func all(_ lines: TranscriptLines.Lines) -> [[StyledRun]] {
        (0..<lines.count).map { lines[$0] }
    }

    @Test(arguments: [
        ["The earliest ", "flight leaves ", "at 07:40 and ", "lands at 12:15", " with one stop", "\nin Amsterdam.", "  Shall I book it?"],
        ["您的包裹", "预计三天内送达", "，到时会有", "短信通知您。", "谢谢"],
        ["averyveryverylongwordthat", "keepsgoingpasttheedge", " and then some"],
    ])
    func aGrowingTurnWrapsAsIfLaidOutAfresh(deltas: [String]) {
        var memo = TranscriptLines()
        var kinds: [SessionEvent.Kind] = [.userMessage(text: "hello there")]
        for (step, delta) in deltas.enumerated() {
            kinds.append(.agentTextDelta(responseId: "r", text: delta))
            let snapshot = ConsoleFixtures.snapshot(number: 1, kinds)
            let lines = memo.lines(pane: 0, snapshot: snapshot, version: UInt64(step + 1), width: 17)
            #expect(Self.all(lines) == Self.fresh(snapshot, width: 17), "after \(step + 1) deltas")
        }
        kinds.append(.agentTextDone(responseId: "r", text: nil))
        let done = ConsoleFixtures.snapshot(number: 1, kinds)
        #expect(Self.all(memo.lines(pane: 0, snapshot: done, version: 99, width: 17)) == Self.fresh(done, width: 17))
        #expect(Self.all(memo.lines(pane: 0, snapshot: done, version: 100, width: 30)) == Self.fresh(done, width: 30))
    }

    /// A state of a live run whose transcript keeps `capacity` entries.
    private static func live(capacity: Int) -> SessionState {
        var state = SessionState(backend: "sim", transcriptCapacity: capacity)
        state.apply(SessionEvent(offset: 0, run: 1, kind: .runStarted(backend: "sim")))
        state.apply(SessionEvent(offset: 0, run: 1, kind: .connected(conversationId: "c")))
        return state
    }

    @Test func linesFollowTheRingAsItDropsItsOldestEntries() {
        var memo = TranscriptLines()
        var state = Self.live(capacity: 4)
        for i in 1...9 {
            state.apply(SessionEvent(offset: Int64(i) * 1000, run: 1, kind: .userMessage(text: "message number \(i)")))
            let snapshot = SessionSnapshot(number: 1, name: "a", state: state, logPath: nil)
            let lines = memo.lines(pane: 0, snapshot: snapshot, version: UInt64(i), width: 12)
            #expect(lines.count >= min(i, 4) * 2)
            #expect(Self.all(lines) == Self.fresh(snapshot, width: 12), "after \(i) messages")
        }
    }

    /// A live session publishing after every event, as a screen sees it: the lines kept from
    /// chunks the ring still shares must be those a fresh layout gives, while turns stream,
    /// end and fall off the front.
    @Test func linesOfALongLiveSessionMatchAFreshLayout() {
        var memo = TranscriptLines()
        var state = Self.live(capacity: 40)
        var random = SimRandom(seed: 7)
        for i in 1...400 {
            let kind: SessionEvent.Kind =
                switch random.next() % 4 {
                case 0: .userMessage(text: "message number \(i)")
                case 1, 2: .agentTextDelta(responseId: "r\(i / 8)", text: "word \(i) ")
                default: .agentTextDone(responseId: "r\(i / 8)", text: nil)
                }
            state.apply(SessionEvent(offset: Int64(i) * 1000, run: 1, kind: kind))
            let snapshot = SessionSnapshot(number: 1, name: "a", state: state, logPath: nil)
            let lines = memo.lines(pane: 0, snapshot: snapshot, version: UInt64(i), width: 14)
            #expect(lines.count >= min(i / 8, 40))
            #expect(Self.all(lines) == Self.fresh(snapshot, width: 14), "after \(i) events")
        }
    }

    /// Paragraphs are found on bytes: they must be those a split on the line-feed character
    /// gives, which leaves a CR LF pair alone (it is one character).
    @Test(arguments: ["one\ntwo words here", "a\n\nb\n", "\n", "crlf\r\nstays one\r\n", "中文\n한국어 text\nend", "x\r\n\ny"])
    func paragraphsBreakAtLineFeedCharacters(text: String) {
        let entry = TranscriptEntry(sequence: 1, role: .user, text: text, status: .final, offset: 0, responseId: nil)
        let width = 12
        var pieces: [Substring] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            pieces += TextWrap.wrap(paragraph, firstWidth: pieces.isEmpty ? width - CellWidth.of("you: ") : width - 2, width: width - 2)
        }
        let shown = TranscriptLines.layout(entry, width: width).map { $0.map(\.text).joined() }
        #expect(shown == pieces.enumerated().map { ($0.offset == 0 ? "you: " : TranscriptLines.hangingIndent) + $0.element })
    }
}
