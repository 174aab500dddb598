/// How one WebSocket connection of a ``WebSocketTransport`` ended, before it is read as a
/// ``CloseCode/Outcome`` (which also depends on whether the connection had opened).
enum ConnectionEnd: Sendable, Equatable {
    /// The server sent a close frame; `code` is nil when the frame carried no status.
    case closedByServer(code: Int?, reason: String?)
    /// The socket ended without a close frame.
    case dropped
    /// The server sent a message over ``WebSocketTransport/maxMessageBytes``.
    case messageTooBig
    /// It failed: refused, unreachable, TLS, a refused upgrade, a missed deadline, an I/O error.
    case failed(String)
    /// Nothing was heard from the server for the receive timeout, so the transport closed the socket.
    case stalled(Duration)
    /// The transport was closed while connecting.
    case closedByClient
}
