import ConvEngine

/// Push-to-talk as the console keeps it: idle, opening the microphone for a pane, or
/// talking into it. Pure: `T`, focus moves and the sound side's reports go in, the status
/// bar's message comes out, and ``request`` says what the sound side should be doing.
///
/// Talking does not follow the focus (listening does): moving the focus away ends the talk,
/// as `T` would, so no conversation is spoken into without the operator looking at it.
package struct TalkState: Equatable, Sendable {
    package enum Phase: Equatable, Sendable {
        case idle
        /// `T` was pressed; the microphone is opening and the session has not taken the stream yet.
        case opening
        case talking
    }

    package private(set) var phase = Phase.idle
    /// The pane talked into (0-based), while not idle.
    package private(set) var pane: Int?
    /// The number of the last talk asked for.
    package private(set) var id = 0

    package init() {}

    /// The pane whose session the microphone goes into now (the talk has started).
    package var talkingPane: Int? { phase == .talking ? pane : nil }

    /// What the sound side should be doing: this talk, or none.
    package var request: TalkRequest? { pane.map { TalkRequest(id: id, pane: $0) } }

    /// `T` on pane `focus`: starts a talk, or ends the one going on. `unavailable` is why this
    /// console cannot talk at all. Returns the status bar's message.
    package mutating func toggle(focus: Int, unavailable: String?) -> String {
        if let pane {
            stop()
            return "talking into pane \(pane + 1) stopped"
        }
        if let unavailable { return "T: \(unavailable)" }
        id += 1
        phase = .opening
        pane = focus
        return "T: opening the microphone for pane \(focus + 1)…"
    }

    /// The focus moved to `focus`: a talk into another pane ends. Returns the message, if any.
    package mutating func focusMoved(to focus: Int) -> String? {
        guard let pane, pane != focus else { return nil }
        stop()
        return "talking into pane \(pane + 1) stopped: the focus moved"
    }

    /// Applies the sound side's report; one about an earlier talk changes nothing. Returns
    /// the message, if any.
    package mutating func apply(_ report: TalkReport) -> String? {
        switch report {
        case .started(let started):
            guard started == id, phase == .opening, let pane else { return nil }
            phase = .talking
            return "talking into pane \(pane + 1) · T stops"
        case .ended(let ended, let why):
            guard ended == id, let pane else { return nil }
            let wasTalking = phase == .talking
            stop()
            let reason = Self.describe(why, pane: pane)
            return wasTalking ? "talking stopped: \(reason)" : "T: \(reason)"
        }
    }

    private mutating func stop() {
        phase = .idle
        pane = nil
    }

    /// Why a talk into `pane` ended, in the operator's words.
    static func describe(_ end: TalkEnd, pane: Int) -> String {
        let name = "pane \(pane + 1)"
        switch end {
        case .noMicrophone(let reason): return "no sound server or microphone (\(reason))"
        case .microphoneStopped(let reason): return "the microphone stopped (\(reason))"
        case .send(let error):
            switch error {
            case .streamInProgress: return "\(name) is streaming audio (a WAV); talk when it has ended"
            case .chunkInProgress: return "\(name) is sending audio chunks; talk when they are done"
            case .talkInProgress: return "\(name) is still sending the last talk's trailing silence; T again in a moment"
            case .notLive(let phase): return "\(name) is not live (\(phase))"
            case .cancelled: return "\(name) stopped"
            case .transport(let message): return "\(name): send failed: \(message)"
            }
        }
    }
}
