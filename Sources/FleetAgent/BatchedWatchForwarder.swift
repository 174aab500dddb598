import ConvEngine
import NIOCore
import NIOWebSocket

/// Sends a batched watcher's lines (`batch=1`) from its socket's own event loop: every
/// ``WatchStream/batchLinger`` a repeated task on the loop takes the lines waiting and writes
/// them, in messages of at most ``WatchStream/batchBytes``, straight to the channel.
///
/// Why on the event loop, with no task or continuation: through the async writer each message
/// cost the agent a timer thread's wake-up, a pool thread's, a hop to the WebSocket handler's
/// actor and one to the event loop (about five context switches; BENCHMARKS.md "watcher
/// cost"), and an `await` on the loop still resumes through the global pool. Here the loop's
/// own timer runs it and the frame is written where the socket is. What runs on the loop is
/// short and never blocks: the journal's lock guards in-memory queues only (sessions do no I/O
/// under it), and a message is built from lines already encoded.
///
/// Backpressure: while the channel is not writable no lines are taken, so they wait in the
/// journal's bounded backlog, which drops audio and then cuts the watcher (``WatchBacklog``).
/// The messages are single text frames, so the pongs and the close the WebSocket handler
/// writes may come between them.
struct BatchedWatchForwarder {
    let channel: any Channel
    let subscription: WatchSubscription
    let metrics: AgentMetrics

    /// Forwards until the subscription ends, the channel closes or the task is cancelled;
    /// `.cut` if the watcher was cut off (after telling it why, if it still reads).
    func run() async -> WatchStream.End {
        let ended = channel.eventLoop.makePromise(of: WatchStream.End.self)
        let forwarder = self
        let loop = channel.eventLoop
        // Scheduled from a task queued behind the frames already written through the async
        // writer (the hello, the headers, the past from the logs): the loop runs queued tasks
        // in order but interleaves due timers with them, so a timer made now could go first.
        guard
            let repeated = try? await loop.submit({
                loop.scheduleRepeatedTask(initialDelay: .zero, delay: WatchStream.batchLinger) { task in
                    if let end = forwarder.tick() {
                        task.cancel()
                        ended.succeed(end)
                    }
                }
            }).get()
        else { return .clientGone }
        return await withTaskCancellationHandler {
            (try? await ended.futureResult.get()) ?? .clientGone
        } onCancel: {
            repeated.cancel()
            ended.succeed(.clientGone)
        }
    }

    /// One pass on the loop: writes what waits; how the stream ended, once it has.
    private func tick() -> WatchStream.End? {
        guard channel.isActive else { return .clientGone }
        guard channel.isWritable else { return nil }
        switch subscription.poll(limit: 4_096) {
        case .ended:
            return .clientGone
        case .nothingWaiting:
            return nil
        case .delivery(.lines(let lines, let dropped, let total)):
            let note = WatchStream.droppedNote(dropped, total: total, metrics: metrics) ?? []
            for message in WatchStream.messages(note: note, lines) { send(message) }
            return nil
        case .delivery(.cut(let reason, _)):
            send(WatchStream.cutNote(reason))
            return .cut
        }
    }

    /// One text message, straight from the bytes (JSON this agent wrote: valid UTF-8). A
    /// failed write means the socket is closing, which ends the loop.
    private func send(_ bytes: [UInt8]) {
        channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .text, data: channel.allocator.buffer(bytes: bytes)), promise: nil)
    }
}
