/// A backend connection for one run of one session.
///
/// A session creates a fresh transport for every run (``TransportFactory``) and is its only
/// owner, so no connection state can leak from one conversation into another.
public protocol Transport: Sendable {
    /// Connects, then reports what happens through the context's sink until the conversation
    /// ends. Returns the reason for a normal end; throws ``TransportError`` (or any error) when
    /// it fails. Must return promptly once its task is cancelled.
    func run() async throws -> String

    /// Sends one message on the open connection.
    func send(_ message: OutgoingMessage) async throws

    /// Starts closing the connection and returns at once, without waiting for the peer.
    func close()
}

/// Makes the transport for one run.
public typealias TransportFactory = @Sendable (TransportContext) -> any Transport

/// What a transport knows about the run it serves.
public struct TransportContext: Sendable {
    public let sessionNumber: Int
    public let sessionName: String
    public let run: Int
    /// Where the transport reports events; bound to this run, so anything reported after the
    /// run is over is dropped by the session.
    public let sink: EventSink

    public init(sessionNumber: Int, sessionName: String, run: Int, sink: EventSink) {
        self.sessionNumber = sessionNumber
        self.sessionName = sessionName
        self.run = run
        self.sink = sink
    }
}

/// Delivers a transport's normalized events to its session.
public struct EventSink: Sendable {
    private let deliver: @Sendable ([SessionEvent.Kind]) -> Void

    public init(_ deliver: @escaping @Sendable ([SessionEvent.Kind]) -> Void) {
        self.deliver = deliver
    }

    /// Reports one event.
    public func emit(_ kind: SessionEvent.Kind) {
        deliver([kind])
    }

    /// Reports several events decoded from one frame; the session publishes once for them.
    public func emit(_ kinds: [SessionEvent.Kind]) {
        if !kinds.isEmpty { deliver(kinds) }
    }
}

/// What the session asks a transport to send.
public enum OutgoingMessage: Sendable, Equatable {
    case userText(String)
    case contextualUpdate(String)
    case userActivity
    case audio(AudioChunk)
    /// The end of a streamed user turn (OpenAI commits the buffer when the server does no VAD).
    case audioStreamEnded
    case toolResult(callId: String, result: String, isError: Bool)
    /// ElevenLabs: the user's like (true) or dislike of an agent response; nil `eventId` means
    /// the latest one. Other backends send nothing.
    case feedback(eventId: Int?, like: Bool)
    /// ElevenLabs: the answer to an MCP tool call awaiting approval. Other backends send nothing.
    case toolApproval(callId: String, approved: Bool)
}

/// Why a transport stopped working.
public struct TransportError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
