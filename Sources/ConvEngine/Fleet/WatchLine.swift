/// One event as an agent streams it to its watchers: the agent's sequence number, the
/// session it belongs to and the event's headless log line.
public struct WatchLine: Sendable, Equatable {
    /// The agent's sequence number: 1 for the first event any session of the agent consumed.
    public let sequence: Int
    /// The session's number on the agent's board.
    public let session: Int
    /// An audio chunk (`agent_audio`, `user_audio`): the first thing a lagging watcher loses.
    public let isAudioChunk: Bool
    /// `{"session":…,"name":…,"t":…,"run":…,"type":…}`, without the sequence number.
    public let line: [UInt8]

    public init(sequence: Int, session: Int, isAudioChunk: Bool, line: [UInt8]) {
        self.sequence = sequence
        self.session = session
        self.isAudioChunk = isAudioChunk
        self.line = line
    }

    /// The line as a watcher receives it: `{"seq":N,"session":…}`.
    public var framed: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(line.count + 24)
        writeFramed(into: &out)
        return out
    }

    /// Appends ``framed`` to `out` (a batch of lines is one buffer, not a copy per line).
    public func writeFramed(into out: inout [UInt8]) {
        out.append(contentsOf: #"{"seq":"#.utf8)
        JSONWriter.writeInteger(Int64(sequence), into: &out)
        out.append(UInt8(ascii: ","))
        out.append(contentsOf: line.dropFirst())
    }

    /// Whether `kind` is an audio chunk, the kind a lagging watcher may lose.
    public static func isAudioChunk(_ kind: SessionEvent.Kind) -> Bool {
        switch kind {
        case .agentAudio, .userAudio: true
        default: false
        }
    }
}
