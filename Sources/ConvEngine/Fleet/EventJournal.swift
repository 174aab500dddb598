/// Every event an agent's sessions consume, numbered in one sequence, with the recent past
/// kept in a ring and each new event handed to the watchers that follow it.
///
/// ``record(session:name:_:)`` is a session's observer: it runs under that session's lock, so
/// it only encodes the line, appends it and queues it for each watcher (``WatchBacklog``,
/// bounded), all under this journal's own short lock; it never waits for a watcher. Watchers
/// take their lines through a ``WatchSubscription`` on their own tasks.
public final class EventJournal: Sendable {
    /// How many recent events the ring keeps for watchers that start in the past.
    public let capacity: Int
    private let state: Locked<State>

    private struct State {
        var ring: BoundedRing<WatchLine>
        var watchers: [Int: Watcher] = [:]
        var nextWatcher = 0
        /// Which session each recent event came from, when the sessions keep logs to serve
        /// an older past from.
        var order: JournalOrder?
    }

    fileprivate struct Watcher {
        var session: Int?
        var backlog: WatchBacklog
        var waiting: CheckedContinuation<Void, Never>?
        /// Who waits to hear that the watcher was cut off (its writer may be stuck on the socket).
        var cutWaiting: CheckedContinuation<String?, Never>?
        var cancelled = false

        /// Queues `line` of session `number` if this watcher follows it, noting whom to wake.
        mutating func offer(_ line: WatchLine, of number: Int, wakeups: inout Wakeups) {
            guard session.map({ $0 == number }) ?? true else { return }
            backlog.push(line)
            if let ready = waiting {
                wakeups.ready.append(ready)
                waiting = nil
            }
            if let reason = backlog.cutReason, let cut = cutWaiting {
                wakeups.cut.append((cut, reason))
                cutWaiting = nil
            }
        }

        /// Up to `limit` waiting lines, or the cut; `nil` (the outer optional's value) when
        /// nothing waits.
        mutating func deliver(upTo limit: Int) -> WatchDelivery?? {
            if let reason = backlog.cutReason {
                // Kept (cancelled) until the subscription goes, so that `waitUntilCut` still learns why.
                cancelled = true
                return .cut(reason: reason, droppedAudio: backlog.droppedAudio)
            }
            guard backlog.waitingLines > 0 else { return .none }
            let (lines, dropped) = backlog.take(upTo: limit)
            return .lines(lines, droppedAudio: dropped, droppedTotal: backlog.droppedAudio)
        }
    }

    /// Continuations to resume once the lock is released.
    fileprivate struct Wakeups {
        var ready: [CheckedContinuation<Void, Never>] = []
        var cut: [(CheckedContinuation<String?, Never>, String?)] = []

        func resume() {
            for continuation in ready { continuation.resume() }
            for (continuation, reason) in cut { continuation.resume(returning: reason) }
        }
    }

    /// The events ``historyLimit`` keeps by default: at 4 bytes each, 8 MiB; about 17 minutes
    /// of 250 sessions' events.
    public static let defaultHistoryLimit = 2 << 20

    /// - Parameters:
    ///   - capacity: the events kept in memory for watchers that start in the past.
    ///   - historyLimit: when the sessions record logs, how many events back a watcher can
    ///     start from anyway, read from the logs (``WatchHistory``); nil when they do not.
    public init(capacity: Int = 16_384, historyLimit: Int? = nil) {
        self.capacity = max(1, capacity)
        state = Locked(State(ring: BoundedRing(capacity: max(1, capacity)), order: historyLimit.map(JournalOrder.init(limit:))))
    }

    /// The sequence number the next event will get.
    public var nextSequence: Int { state.withLock { $0.ring.totalAppended + 1 } }

    /// How many watchers are following now.
    public var watcherCount: Int { state.withLock { $0.watchers.count } }

    /// Numbers `event` of session `number` and hands it to the watchers that follow it.
    public func record(session number: Int, name: String, _ event: SessionEvent) {
        var bytes: [UInt8] = []
        event.writeLogLine(into: &bytes, session: (number, name))
        let isAudio = WatchLine.isAudioChunk(event.kind)
        let wakeups = state.withLock { s -> Wakeups in
            let line = WatchLine(sequence: s.ring.totalAppended + 1, session: number, isAudioChunk: isAudio, line: bytes)
            s.ring.append(line)
            s.order?.append(session: number)
            var wakeups = Wakeups()
            // Each watcher is changed in place: iterating `keys` while mutating would keep the
            // dictionary shared and copy it, and every backlog in it, on every event.
            var index = s.watchers.startIndex
            while index != s.watchers.endIndex {
                s.watchers.values[index].offer(line, of: number, wakeups: &wakeups)
                s.watchers.formIndex(after: &index)
            }
            return wakeups
        }
        wakeups.resume()
    }

    /// Starts a watcher at sequence number `from` (nil: only what comes next), of one session or
    /// of all. Events from `from` on that the ring still holds are queued first; older ones are
    /// the subscription's ``WatchSubscription/history``, to be read from the logs first, when
    /// the journal keeps their order and `readLogs`; ``WatchSubscription/start`` says what
    /// could not be had.
    public func watch(
        from: Int?, session: Int? = nil, limits: WatchBacklog.Limits = WatchBacklog.Limits(), readLogs: Bool = true
    ) -> WatchSubscription {
        let (id, next, ringFirst, tail) = state.withLock { s -> (Int, Int, Int, JournalTail?) in
            let next = s.ring.totalAppended + 1
            let oldest = next - s.ring.count
            var backlog = WatchBacklog(limits: limits)
            let first = min(max(from ?? next, oldest), next)
            for line in s.ring[(first - oldest)...] where session.map({ $0 == line.session }) ?? true {
                backlog.push(line, replay: true)
            }
            let id = s.nextWatcher
            s.nextWatcher += 1
            s.watchers[id] = Watcher(session: session, backlog: backlog)
            var tail: JournalTail?
            if readLogs, let from, from < first, let order = s.order { tail = order.tail(from: max(from, order.first, 1)) }
            return (id, next, first, tail)
        }
        // Counted outside the lock: every session's event waits for it.
        let history = tail.map { WatchHistory(tail: $0, end: ringFirst, only: session) }
        let first = history?.first ?? ringFirst
        let missed = from.map { max(0, min(first, next) - max($0, 1)) } ?? 0
        let start = WatchStart(requested: from, first: first, next: next, missed: missed)
        return WatchSubscription(journal: self, id: id, start: start, history: history)
    }

    /// Up to `limit` waiting lines of watcher `id`, waiting for one if none is there; nil once
    /// the watcher is cancelled or gone.
    fileprivate func next(_ id: Int, limit: Int) async -> WatchDelivery? {
        while true {
            if let taken = poll(id, limit: limit) { return taken }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let ready = state.withLock { s -> Bool in
                        guard let watcher = s.watchers[id], !watcher.cancelled,
                            watcher.backlog.waitingLines == 0, watcher.backlog.cutReason == nil
                        else { return true }
                        s.watchers[id]!.waiting = continuation
                        return false
                    }
                    if ready { continuation.resume() }
                }
            } onCancel: {
                cancel(id)
            }
        }
    }

    /// What watcher `id` has waiting, without waiting: `.some(nil)` once it is cancelled or
    /// gone, nil when nothing waits.
    fileprivate func poll(_ id: Int, limit: Int) -> WatchDelivery?? {
        state.withLock { s in
            guard let index = s.watchers.index(forKey: id), !s.watchers.values[index].cancelled else { return .some(nil) }
            return s.watchers.values[index].deliver(upTo: limit)
        }
    }

    /// Returns once watcher `id` is cut off, with the reason; nil when it ends otherwise (or the
    /// calling task is cancelled).
    fileprivate func waitUntilCut(_ id: Int) async -> String? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
                let known = state.withLock { s -> String?? in
                    guard let watcher = s.watchers[id] else { return .some(nil) }
                    if let reason = watcher.backlog.cutReason { return .some(reason) }
                    if watcher.cancelled { return .some(nil) }
                    s.watchers[id]!.cutWaiting = continuation
                    return nil
                }
                if let known { continuation.resume(returning: known) }
            }
        } onCancel: {
            cancel(id)
        }
    }

    /// Why watcher `id` was cut off, if it was.
    fileprivate func cutReason(_ id: Int) -> String? {
        state.withLock { $0.watchers[id]?.backlog.cutReason }
    }

    /// Ends watcher `id`: a pending ``next(_:limit:)`` returns nil, and nothing more is queued for it.
    fileprivate func cancel(_ id: Int) {
        state.withLock { s -> Wakeups in
            guard var watcher = s.watchers[id] else { return Wakeups() }
            watcher.cancelled = true
            defer {
                watcher.waiting = nil
                watcher.cutWaiting = nil
                s.watchers[id] = watcher
            }
            return Self.wakeups(ending: watcher)
        }.resume()
    }

    /// Forgets watcher `id` (its subscription is gone).
    fileprivate func remove(_ id: Int) {
        state.withLock { s in s.watchers.removeValue(forKey: id).map(Self.wakeups(ending:)) ?? Wakeups() }.resume()
    }

    /// What to wake when `watcher` ends: its reader, and whoever waits for a cut (told the
    /// reason if it was one).
    private static func wakeups(ending watcher: Watcher) -> Wakeups {
        var wakeups = Wakeups()
        if let waiting = watcher.waiting { wakeups.ready.append(waiting) }
        if let cutWaiting = watcher.cutWaiting { wakeups.cut.append((cutWaiting, watcher.backlog.cutReason)) }
        return wakeups
    }
}

/// Where a watcher's stream begins.
public struct WatchStart: Sendable, Equatable {
    /// The `from` the watcher asked for (nil: from now).
    public let requested: Int?
    /// The first sequence number it can receive.
    public let first: Int
    /// The sequence number the agent's next event will get.
    public let next: Int
    /// Events it asked for that the ring no longer holds (the agent's logs still do).
    public let missed: Int
}

/// What a watcher receives next.
public enum WatchDelivery: Sendable, Equatable {
    /// Lines in sequence order; `droppedAudio` audio chunks were dropped since the last
    /// delivery, `droppedTotal` over the watcher's life.
    case lines([WatchLine], droppedAudio: Int, droppedTotal: Int)
    /// The watcher fell too far behind and is cut off.
    case cut(reason: String, droppedAudio: Int)
}

/// What ``WatchSubscription/poll(limit:)`` found.
public enum WatchPoll: Sendable, Equatable {
    case delivery(WatchDelivery)
    /// Nothing queued yet.
    case nothingWaiting
    /// The subscription was closed.
    case ended
}

/// One watcher's stream of an ``EventJournal``: `next()` until it returns nil or a `cut`.
/// Dropping the subscription (or ``close()``) stops the journal queueing for it.
public final class WatchSubscription: Sendable {
    private let journal: EventJournal
    private let id: Int
    public let start: WatchStart
    /// The requested events older than the ring, to be read from the sessions' logs and sent
    /// before ``next(limit:)``'s; nil when there are none or the journal does not keep their order.
    public let history: WatchHistory?

    fileprivate init(journal: EventJournal, id: Int, start: WatchStart, history: WatchHistory?) {
        self.journal = journal
        self.id = id
        self.start = start
        self.history = history
    }

    deinit { journal.remove(id) }

    /// Up to `limit` lines, waiting for the next one if none is queued; nil once closed or the
    /// calling task is cancelled.
    public func next(limit: Int = 256) async -> WatchDelivery? {
        await journal.next(id, limit: limit)
    }

    /// What is queued, without waiting: up to `limit` lines (or the cut), nothing, or the end.
    public func poll(limit: Int = 256) -> WatchPoll {
        switch journal.poll(id, limit: limit) {
        case .none: .nothingWaiting
        case .some(.none): .ended
        case .some(.some(let delivery)): .delivery(delivery)
        }
    }

    /// Returns the reason once this watcher is cut off for falling behind; nil if it ends
    /// otherwise. Lets a server close a socket whose writer is stuck on a reader that stopped.
    public func waitUntilCut() async -> String? {
        await journal.waitUntilCut(id)
    }

    /// Stops the stream: a waiting or later ``next(limit:)`` returns nil.
    public func close() { journal.cancel(id) }

    /// Why this watcher was cut off for falling behind, if it was (also after ``close()``).
    public var cutReason: String? { journal.cutReason(id) }
}
