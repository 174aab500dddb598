/// Follows the turn in progress through the events of a run and yields its ``TurnMetrics``
/// when it completes. Pure: it sees only event kinds and their offsets, so the live session and
/// a replayed log measure the same turns to the microsecond.
public struct TurnTracker: Sendable, Equatable {
    /// Turns completed in the current run.
    public private(set) var turnsInRun = 0
    /// The server's latest ping round trip.
    private var pingMs: Int?
    /// The newest user audio chunk sent since the last turn began.
    private var lastUserAudio: Int64?
    private var open = OpenTurn()
    private var tools = ToolTimes()
    /// The agent's audio as it plays (µs): each piece from its arrival, or from the end of the
    /// piece before it when that is later, until an interruption cuts it.
    private var agentPlaying: Span?
    /// User audio sent between turns while the agent's audio played (µs), for the next turn;
    /// nil when no user audio was sent since the last turn began.
    private var talkOver: Int64?

    /// A stretch of the run's time, in µs offsets.
    struct Span: Sendable, Equatable {
        var start: Int64
        var end: Int64
    }

    public init() {}

    /// What is known so far about the turn in progress (offsets in µs). Plain data, and not an
    /// optional: it is read and written on nearly every event, and with its tool calls in it
    /// each of those copied and released two arrays, while as an optional its 150 bytes were
    /// copied to test it (issue 16's profiles). The tool calls live in ``tools``; no turn is
    /// open while `mode` is nil, and then every other member is as `init()` leaves it.
    struct OpenTurn: Sendable, Equatable {
        var mode: TurnMetrics.Mode?
        /// The end of the user's turn, which the stages after it count from.
        var userEnd: Int64 = 0
        var userAudioEnd: Int64?
        var speechStopped: Int64?
        var transcriptFinal: Int64?
        var responseCreated: Int64?
        var firstText: Int64?
        var firstAudio: Int64?
        var lastOutput: Int64?
        var agentAudioMs = 0
        var talkOver: Int64?

        var isOpen: Bool { mode != nil }
        var answered: Bool { firstText != nil || firstAudio != nil }
    }

    /// The open turn's client tool calls: those awaiting their result, and how long each
    /// answered one took. Empty while no turn is open.
    struct ToolTimes: Sendable, Equatable {
        var calls: [(id: String, at: Int64)] = []
        var ms: [Int] = []

        static func == (lhs: ToolTimes, rhs: ToolTimes) -> Bool {
            lhs.ms == rhs.ms && lhs.calls.elementsEqual(rhs.calls) { $0.id == $1.id && $0.at == $1.at }
        }
    }

    /// When the user's turn ended, while no agent output has answered it yet (dead air).
    public var awaitingSince: Int64? {
        guard open.isOpen, !open.answered else { return nil }
        return open.userEnd
    }

    /// Takes the next event of the run (agent audio only when it is not stale); the turn it
    /// completes, if any, goes to `completed`. Not returned: a 200-byte optional result was
    /// copied at every event, and nearly every event completes nothing (issue 16's profile).
    public mutating func observe(_ kind: SessionEvent.Kind, at offset: Int64, completed: (TurnMetrics) -> Void) {
        func finish(_ turn: TurnMetrics?) { if let turn { completed(turn) } }
        switch kind {
        case .runStarted:
            self = TurnTracker()
        case .ended, .failed:
            finish(complete(at: offset, interrupted: false))
            close()
        case .userAudio(_, let ms):
            lastUserAudio = offset
            countTalkOver(userAudioEnd: offset, ms: ms)
        case .userSpeechStarted:
            // The user speaks again: an answered turn is over; an unanswered one is abandoned.
            finish(complete(at: offset, interrupted: false))
            close()
        case .userSpeechStopped:
            if open.answered { finish(complete(at: offset, interrupted: false)) }
            if !open.isOpen { begin(.voice, at: offset) }
            if open.speechStopped == nil { open.speechStopped = offset }
        case .userTranscript(_, let isFinal):
            guard isFinal else { return }
            if open.isOpen, open.transcriptFinal == nil {
                open.transcriptFinal = offset
                return
            }
            finish(complete(at: offset, interrupted: false))
            begin(.voice, at: offset)
            open.transcriptFinal = offset
        case .userMessage:
            finish(complete(at: offset, interrupted: false))
            begin(.text, at: offset)
        case .agentThinking:
            if open.isOpen, open.responseCreated == nil { open.responseCreated = offset }
        case .agentTextDelta:
            output(at: offset, text: true)
        case .agentTextDone(_, let text):
            if text != nil || open.firstText != nil { output(at: offset, text: true) }
        case .agentAudio(_, _, let ms):
            if let playing = agentPlaying, offset <= playing.end {
                agentPlaying?.end = Self.plus(playing.end, ms: ms)
            } else {
                agentPlaying = Span(start: offset, end: Self.plus(offset, ms: ms))
            }
            output(at: offset, text: false)
            if open.isOpen { open.agentAudioMs.accumulate(ms) }
        case .agentAudioDone:
            guard open.answered else { return }
            open.lastOutput = offset
            finish(complete(at: offset, interrupted: false))
        case .interruption:
            // The rest of the reply is dropped: it does not play on.
            if let playing = agentPlaying { agentPlaying?.end = min(playing.end, offset) }
            finish(complete(at: offset, interrupted: true))
        case .toolCall(let id, _, _):
            if open.isOpen { tools.calls.append((id, offset)) }
        case .toolResult(let id, _, _):
            if let i = tools.calls.firstIndex(where: { $0.id == id }) {
                tools.ms.append(Self.ms(offset - tools.calls.remove(at: i).at))
            }
        case .ping(_, let latency):
            if let latency { pingMs = latency }
        default:
            break
        }
    }

    private mutating func begin(_ mode: TurnMetrics.Mode, at offset: Int64) {
        open = OpenTurn(mode: mode, userEnd: offset, userAudioEnd: mode == .voice ? lastUserAudio : nil, talkOver: talkOver)
        tools = ToolTimes()
        lastUserAudio = nil
        talkOver = nil
    }

    /// Counts a chunk of user audio of `ms` sent up to `userAudioEnd` against the agent's
    /// playing audio, between turns only: audio sent once the user's turn ended (a stream's
    /// trailing silence, while the reply starts) is not the user talking.
    private mutating func countTalkOver(userAudioEnd: Int64, ms: Int) {
        guard !open.isOpen else { return }
        var overlap: Int64 = 0
        if let playing = agentPlaying {
            let start = max(Self.plus(userAudioEnd, ms: -max(0, ms)), playing.start)
            overlap = max(0, min(userAudioEnd, playing.end).subtractingReportingOverflow(start).partialValue)
        }
        let (sum, overflow) = (talkOver ?? 0).addingReportingOverflow(overlap)
        talkOver = overflow ? .max : sum
    }

    /// `offset` + `ms` milliseconds, saturating (a hostile log's durations are any integer).
    private static func plus(_ offset: Int64, ms: Int) -> Int64 {
        let (micros, overflow) = Int64(clamping: ms).multipliedReportingOverflow(by: 1000)
        let (sum, overflowed) = offset.addingReportingOverflow(overflow ? (ms < 0 ? .min : .max) : micros)
        return overflowed ? (ms < 0 ? .min : .max) : sum
    }

    /// No turn is open any more: its tool calls go with it.
    private mutating func close() {
        open = OpenTurn()
        tools = ToolTimes()
    }

    private mutating func output(at offset: Int64, text: Bool) {
        guard open.isOpen else { return }
        if text, open.firstText == nil { open.firstText = offset }
        if !text, open.firstAudio == nil { open.firstAudio = offset }
        open.lastOutput = offset
    }

    /// Ends the open turn: its metrics when the agent answered it, nothing when it did not.
    private mutating func complete(at offset: Int64, interrupted: Bool) -> TurnMetrics? {
        guard let mode = open.mode, open.answered else { return nil }
        let turn = open
        let toolMs = tools.ms
        close()
        turnsInRun += 1
        func since(_ start: Int64?, _ end: Int64?) -> Int? {
            guard let start, let end else { return nil }
            return Self.ms(end - start)
        }
        let heard = interrupted ? since(turn.firstAudio, offset).map { min($0, turn.agentAudioMs) } : nil
        return TurnMetrics(
            turn: turnsInRun, mode: mode,
            voiceToVoiceMs: mode == .voice ? since(turn.userAudioEnd ?? turn.userEnd, turn.firstAudio) : nil,
            endpointingMs: since(turn.userAudioEnd, turn.speechStopped),
            transcriptMs: since(turn.speechStopped, turn.transcriptFinal).map { max(0, $0) },
            responseToTextMs: since(turn.responseCreated, turn.firstText),
            responseToAudioMs: since(turn.responseCreated, turn.firstAudio),
            firstTextMs: since(turn.userEnd, turn.firstText),
            firstAudioMs: since(turn.userEnd, turn.firstAudio),
            doneMs: since(turn.userEnd, turn.lastOutput),
            agentAudioMs: turn.agentAudioMs, interrupted: interrupted, heardMs: heard, toolMs: toolMs, pingMs: pingMs,
            talkOverMs: turn.talkOver.map(Self.ms))
    }

    /// Whole milliseconds of a µs span, never negative (offsets are monotonic; a hand-edited
    /// log is not).
    static func ms(_ micros: Int64) -> Int {
        Int(clamping: max(0, micros) / 1000)
    }
}
