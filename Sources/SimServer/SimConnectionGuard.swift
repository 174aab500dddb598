import NIOCore

/// Guards one sim-server connection at the byte level, in front of the HTTP and WebSocket
/// decoders, as a real server would:
///
/// - the request head must be complete within ``SimServerOptions/headDeadline`` of the
///   connection opening (or of the previous head), else the connection is closed: slowloris
///   clients trickling a header cannot hold connections for ever;
/// - after a WebSocket upgrade, every client frame must be masked (RFC 6455 §5.1): an
///   unmasked one gets close code 1002 and the connection ends.
///
/// - the connection's bytes are paced by a ``SimInboundBudget``: past it, nothing more is read
///   from the socket until the budget allows (TCP pushes back on the client), so one client's
///   flood bounds its own work and buffering and never starves the other conversations.
///
/// UTF-8 (1007) and size (1009) are checked by the WebSocket layer (see ``SimServer``).
final class SimConnectionGuard: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        /// Reading a request head: its bytes so far (up to ``maxHeadBytes``).
        case head([UInt8])
        /// Reading WebSocket frames: the header bytes of the frame being read, and how many
        /// payload bytes of the current frame are still to come.
        case frames(header: [UInt8], payloadLeft: UInt64)
        case closed
    }

    /// Longer than any head the HTTP decoder accepts (it refuses more than 80 KiB itself).
    static let maxHeadBytes = 96 << 10

    private let headDeadline: TimeAmount
    private var state = State.head([])
    private var deadline: Scheduled<Void>?
    private var budget: SimInboundBudget
    /// While the connection is over its budget: when reading resumes.
    private var resumption: Scheduled<Void>?
    /// A read asked for while paused, done when reading resumes.
    private var readPending = false

    init(headDeadline: TimeAmount, budget: SimInboundBudget) {
        self.headDeadline = headDeadline
        self.budget = budget
    }

    func handlerAdded(context: ChannelHandlerContext) {
        armDeadline(context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        resumption?.cancel()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        resumption?.cancel()
        state = .closed
        context.fireChannelInactive()
    }

    func read(context: ChannelHandlerContext) {
        if resumption == nil { context.read() } else { readPending = true }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        pace(buffer.readableBytes, context: context)
        let bytes = buffer.readableBytesView
        var index = bytes.startIndex
        while index < bytes.endIndex {
            switch state {
            case .closed:
                return
            case .head(var head):
                let byte = bytes[index]
                index += 1
                if head.count < Self.maxHeadBytes { head.append(byte) }
                state = .head(head)
                if head.count >= 4, head.suffix(4).elementsEqual([0x0D, 0x0A, 0x0D, 0x0A]) { headEnded(head, context: context) }
            case .frames(var header, var payloadLeft):
                if payloadLeft > 0 {
                    let step = Int(min(payloadLeft, UInt64(bytes.endIndex - index)))
                    index += step
                    payloadLeft -= UInt64(step)
                    state = .frames(header: header, payloadLeft: payloadLeft)
                    continue
                }
                header.append(bytes[index])
                index += 1
                guard let length = Self.frameHeaderLength(header), header.count == length else {
                    state = .frames(header: header, payloadLeft: 0)
                    continue
                }
                guard header[1] & 0x80 != 0 else {
                    refuse(context: context, code: 1002, reason: "client frames must be masked")
                    return
                }
                state = .frames(header: [], payloadLeft: Self.payloadLength(header))
            }
        }
        context.fireChannelRead(data)
    }

    private func headEnded(_ head: [UInt8], context: ChannelHandlerContext) {
        deadline?.cancel()
        let text = String(decoding: head, as: UTF8.self).lowercased()
        if text.contains("\r\nupgrade:") && text.contains("websocket") {
            state = .frames(header: [], payloadLeft: 0)
        } else {
            state = .head([])
            armDeadline(context: context)
        }
    }

    /// Spends `bytes` of the budget; when it is overspent, reading pauses until it is not.
    private func pace(_ bytes: Int, context: ChannelHandlerContext) {
        let wait = budget.spend(bytes, at: .now)
        guard wait > .zero, resumption == nil else { return }
        resumption = context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(Int64(wait / .nanoseconds(1)))) {
            self.resumption = nil
            if self.readPending {
                self.readPending = false
                context.read()
            }
        }
    }

    private func armDeadline(context: ChannelHandlerContext) {
        deadline?.cancel()
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: headDeadline) { channel.close(promise: nil) }
    }

    /// Sends a close frame with `code` and closes the connection.
    private func refuse(context: ChannelHandlerContext, code: UInt16, reason: String) {
        state = .closed
        var frame = context.channel.allocator.buffer(capacity: 4 + reason.utf8.count)
        frame.writeInteger(UInt8(0x88))
        frame.writeInteger(UInt8(2 + reason.utf8.count))
        frame.writeInteger(code)
        frame.writeString(reason)
        let channel = context.channel
        context.writeAndFlush(NIOAny(frame)).whenComplete { _ in channel.close(promise: nil) }
    }

    /// The full length of a frame header whose first bytes are `header`, or nil until two bytes are in.
    static func frameHeaderLength(_ header: [UInt8]) -> Int? {
        guard header.count >= 2 else { return nil }
        let extended = switch header[1] & 0x7F {
        case 126: 2
        case 127: 8
        default: 0
        }
        return 2 + extended + (header[1] & 0x80 != 0 ? 4 : 0)
    }

    /// The payload length a complete frame header announces.
    static func payloadLength(_ header: [UInt8]) -> UInt64 {
        switch header[1] & 0x7F {
        case 126: return UInt64(header[2]) << 8 | UInt64(header[3])
        case 127: return header[2..<10].reduce(0) { $0 << 8 | UInt64($1) }
        case let short: return UInt64(short)
        }
    }
}
