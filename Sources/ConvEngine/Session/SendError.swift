/// Why a send was refused or failed. Every case leaves the send gate open again.
public enum SendError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The session is not live (not started, connecting, stopping or over).
    case notLive(phase: String)
    /// A standalone audio chunk (or a second stream) was sent while an audio stream holds the
    /// gate. Wait for the stream to finish or cancel it.
    case streamInProgress
    /// An audio stream was started while standalone chunks were still being sent.
    case chunkInProgress
    /// Other audio (a WAV stream, a chunk) was sent while push-to-talk's live audio holds the
    /// gate. It is sent when the operator stops talking.
    case talkInProgress
    /// The send was cancelled (by the caller, or because the session stopped).
    case cancelled
    /// The transport failed to send.
    case transport(String)

    public var description: String {
        switch self {
        case .notLive(let phase): "session is not live (\(phase))"
        case .streamInProgress: "an audio stream is in progress; audio chunks are refused until it ends"
        case .chunkInProgress: "audio chunks are being sent; a stream can start when they are done"
        case .talkInProgress: "push-to-talk is on; other audio is refused until the operator stops talking"
        case .cancelled: "send cancelled"
        case .transport(let message): "send failed: \(message)"
        }
    }
}
