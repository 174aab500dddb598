import ConvEngine

/// Which pending call an operator's answer is for: the oldest, unless the answer names one.
package enum PendingAnswer {
    /// The tool call `text` answers and the result: when the first word of `text` is the id
    /// of a pending call, that call with the rest of the text; otherwise the oldest call with
    /// all of it. Nil when no call waits.
    package static func toolCall(in pending: [PendingCall], text: String) -> (PendingCall, String)? {
        let words = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        if let first = words.first, let call = pending.first(where: { $0.callId == first }) {
            return (call, words.count > 1 ? String(words[1]) : "")
        }
        return pending.first.map { ($0, text) }
    }

    /// The approval `callId` names, or the oldest when it is empty; nil when none matches.
    package static func approval(in pending: [PendingCall], callId: String) -> PendingCall? {
        guard let id = callId.split(separator: " ").first else { return pending.first }
        return pending.first { $0.callId == id }
    }
}
