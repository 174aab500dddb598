/// Who may send audio right now.
///
/// A stream holds the gate alone; standalone chunks may overlap each other but not a stream.
/// The session acquires the gate before a send and releases it in a `defer` that cannot be
/// cancelled, so it opens again on success, error and cancellation alike.
public struct SendGate: Sendable, Equatable {
    public private(set) var streaming = false
    public private(set) var chunksInFlight = 0

    public init() {}

    /// True when any audio send holds the gate.
    public var isHeld: Bool { streaming || chunksInFlight > 0 }

    mutating func acquireChunk() throws(SendError) {
        if streaming { throw .streamInProgress }
        chunksInFlight += 1
    }

    mutating func releaseChunk() {
        precondition(chunksInFlight > 0, "released a chunk slot that was not held")
        chunksInFlight -= 1
    }

    mutating func acquireStream() throws(SendError) {
        if streaming { throw .streamInProgress }
        if chunksInFlight > 0 { throw .chunkInProgress }
        streaming = true
    }

    mutating func releaseStream() {
        precondition(streaming, "released a stream that was not held")
        streaming = false
    }
}
