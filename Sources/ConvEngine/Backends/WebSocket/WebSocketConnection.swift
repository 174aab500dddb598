import NIOCore

/// One connection of a ``WebSocketTransport``: the state its transport (on any thread) and its
/// channel handlers (on the channel's event loop) share.
///
/// Its end is settled once, by whichever part learns it first: the connect, the handshake
/// deadline, a close requested while connecting, or a handler when the channel closes. Later
/// reports are ignored.
///
/// The conversation has a lock of its own: a long message is decoded under it on a worker
/// thread (``WireConversationHandler``), and nothing on the event loop or in `stop()` (the
/// connection's flags) may wait for that.
final class WebSocketConnection<Conversation: WireConversation>: Sendable {
    private let promise: EventLoopPromise<ConnectionEnd>
    private let state: Locked<State>
    private let talk: Locked<Talk>

    private struct State {
        var channel: (any Channel)?
        var opened = false
        var settled = false
        var closeRequested = false
        /// A close frame went out (ours or our answer to the server's): no data frame may follow.
        var closeSent = false
    }

    private struct Talk {
        var conversation: Conversation
        /// A server event that is not an error arrived: the server took the conversation.
        var established = false
    }

    init(conversation: Conversation, eventLoop: any EventLoop) {
        promise = eventLoop.makePromise()
        state = Locked(State())
        talk = Locked(Talk(conversation: conversation))
    }

    /// Completes once with how the connection ended.
    var ended: EventLoopFuture<ConnectionEnd> { promise.futureResult }

    /// True once the WebSocket handshake succeeded.
    var opened: Bool { state.withLock { $0.opened } }

    /// True once the server sent an event that is not an error.
    var established: Bool { talk.withLock { $0.established } }

    /// Adopts the connected channel. False when the connection is already over (a close was
    /// requested or the deadline passed while connecting): the caller then closes the channel.
    func attach(_ channel: any Channel) -> Bool {
        state.withLock { state in
            guard !state.settled, !state.closeRequested else { return false }
            state.channel = channel
            return true
        }
    }

    /// Marks the connection open and returns the frames to send first; nil when a close was
    /// requested during the handshake.
    func open() -> [String]? {
        let closing = state.withLock { state in
            state.opened = true
            return state.closeRequested
        }
        return closing ? nil : talk.withLock { $0.conversation.opening() }
    }

    /// Handles one text message from the server.
    func receive(bytes: UnsafeRawBufferPointer) -> WireStep {
        talk.withLock { talk in
            let step = talk.conversation.receive(bytes: bytes)
            if !talk.established {
                talk.established = step.events.contains { kind in
                    switch kind {
                    case .serverError, .malformed, .unknown: false
                    default: true
                    }
                }
            }
            return step
        }
    }

    /// The frames for one message from the session and the channel to write them to.
    func encode(_ message: OutgoingMessage) throws(TransportError) -> (frames: [String], channel: any Channel) {
        let channel = state.withLock { state -> (any Channel)? in
            guard state.opened, !state.settled, !state.closeRequested, !state.closeSent else { return nil }
            return state.channel
        }
        guard let channel else { throw TransportError("not connected") }
        return (talk.withLock { $0.conversation.encode(message) }, channel)
    }

    /// The handler sent a close frame: sends from now on fail rather than follow it.
    func sentClose() {
        state.withLock { $0.closeSent = true }
    }

    /// Starts closing: an open connection does the closing handshake; one still connecting
    /// ends at once.
    func requestClose() {
        let (channel, opened) = state.withLock { state in
            state.closeRequested = true
            return (state.channel, state.opened)
        }
        if opened, let channel {
            channel.pipeline.fireUserInboundEventTriggered(WireConversationHandler<Conversation>.CloseRequest())
        } else {
            settle(.closedByClient)
            channel?.close(promise: nil)
        }
    }

    /// Gives up on a handshake still unfinished at its deadline; `reason` says why, given
    /// whether the TCP connection was made.
    func handshakeExpired(reason: (_ connected: Bool) -> String) {
        let (pending, channel) = state.withLock { state in (!state.opened && !state.settled, state.channel) }
        guard pending else { return }
        settle(.failed(reason(channel != nil)))
        channel?.close(promise: nil)
    }

    /// Reports how the connection ended; only the first report counts.
    func settle(_ end: ConnectionEnd) {
        let first = state.withLock { state in
            defer { state.settled = true }
            return !state.settled
        }
        if first { promise.succeed(end) }
    }
}
