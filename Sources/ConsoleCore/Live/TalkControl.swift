import ConvEngine

/// Push-to-talk (`T`): what the console asks of the sound side, and what it hears back.
package protocol TalkControl: Sendable {
    /// Talks into the session of `request`'s pane from the microphone, or stops talking when
    /// nil (the session then gets its trailing silence). A new request replaces the last.
    func talk(_ request: TalkRequest?)
    /// What became of the talks asked for (started, or ended on their own and why), the
    /// newest last; the console polls it.
    var reports: SnapshotChannel<TalkReport?> { get }
}

/// One talk the console asks for: its number (a report about an earlier one is stale) and
/// the pane (0-based) talked into.
package struct TalkRequest: Hashable, Sendable {
    package let id: Int
    package let pane: Int

    package init(id: Int, pane: Int) {
        self.id = id
        self.pane = pane
    }
}

/// What the sound side says about talk `id`.
package enum TalkReport: Equatable, Sendable {
    /// The microphone is open and the session took the stream: its audio goes in.
    case started(id: Int)
    /// The talk could not start, or stopped without the operator asking.
    case ended(id: Int, TalkEnd)
}

/// Why a talk ended without the operator asking.
package enum TalkEnd: Equatable, Sendable {
    /// The microphone could not be opened: the sound server's words (no server, no source).
    case noMicrophone(String)
    /// The microphone stopped delivering while talking (the server went away).
    case microphoneStopped(String)
    /// The session refused the stream (a WAV streams into it, it is not live) or a send failed.
    case send(SendError)
}
