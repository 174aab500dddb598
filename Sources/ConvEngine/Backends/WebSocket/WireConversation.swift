/// The protocol logic of one WebSocket connection to a backend, without the socket.
///
/// A value type and a pure state machine: frames in, events and reply frames out. The
/// ``WebSocketTransport`` owns one per connection (a reconnect starts a fresh one), so the
/// codecs are tested frame by frame without a server.
public protocol WireConversation: Sendable {
    /// Whether the server sends messages of its own through a quiet conversation (ElevenLabs'
    /// `ping` events). Then only messages count against the receive timeout, so a server whose
    /// conversation hangs while its WebSocket layer still answers pings is caught; otherwise
    /// (OpenAI) any frame counts and the transport pings a quiet server to hear from it.
    static var serverKeepsAlive: Bool { get }

    /// Frames to send as soon as the socket is open, before anything else.
    mutating func opening() -> [String]

    /// Handles one text frame from the server.
    mutating func receive(_ text: String) -> WireStep

    /// Handles one text frame from the server as the bytes it came in; the same as
    /// ``receive(_:)`` on their UTF-8 decoding (a protocol may read common frames without
    /// making a string).
    mutating func receive(bytes: UnsafeRawBufferPointer) -> WireStep

    /// The frames that carry one message from the session (possibly none).
    mutating func encode(_ message: OutgoingMessage) -> [String]
}

extension WireConversation {
    public mutating func receive(bytes: UnsafeRawBufferPointer) -> WireStep {
        receive(String(decoding: bytes, as: UTF8.self))
    }
}

/// What one received frame means: events for the session and frames to answer at once.
public struct WireStep: Sendable, Equatable {
    public var events: [SessionEvent.Kind]
    /// Frames sent straight back (a pong, a tool result, a barge-in truncate).
    public var replies: [String]
    /// Agent audio to keep (only when the conversation is asked to keep it), PCM16 mono.
    public var agentAudio: AgentAudio?

    public init(events: [SessionEvent.Kind] = [], replies: [String] = [], agentAudio: AgentAudio? = nil) {
        self.events = events
        self.replies = replies
        self.agentAudio = agentAudio
    }
}
