/// Who may send audio right now.
///
/// A stream holds the gate alone; standalone chunks may overlap each other but not a stream.
/// A stream is a buffer (a WAV) or live audio (push-to-talk); whichever holds the gate, the
/// other is refused, with an error that says which one holds it.
/// The session acquires the gate before a send and releases it in a `defer` that cannot be
/// cancelled, so it opens again on success, error and cancellation alike.
public struct SendGate: Sendable, Equatable {
    public private(set) var streaming = false
    public private(set) var chunksInFlight = 0
    /// Whether the stream holding the gate is live audio (push-to-talk) rather than a buffer.
    public private(set) var talking = false

    public init() {}

    /// True when any audio send holds the gate.
    public var isHeld: Bool { streaming || chunksInFlight > 0 }

    mutating func acquireChunk() throws(SendError) {
        try refuseWhileStreaming()
        chunksInFlight += 1
    }

    mutating func releaseChunk() {
        precondition(chunksInFlight > 0, "released a chunk slot that was not held")
        chunksInFlight -= 1
    }

    /// - Parameter live: the stream is push-to-talk's live audio.
    mutating func acquireStream(live: Bool = false) throws(SendError) {
        try refuseWhileStreaming()
        if chunksInFlight > 0 { throw .chunkInProgress }
        streaming = true
        talking = live
    }

    mutating func releaseStream() {
        precondition(streaming, "released a stream that was not held")
        streaming = false
        talking = false
    }

    private func refuseWhileStreaming() throws(SendError) {
        if streaming { throw talking ? .talkInProgress : .streamInProgress }
    }
}
