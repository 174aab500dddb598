/// The mapping between *log time* (µs on the shared axis where the aligned logs' events sit)
/// and *timeline time* (µs on the replay clock), which differ only when an idle limit
/// compresses silences.
///
/// As asciinema's `idle_time_limit` does, every gap between consecutive events, across all
/// logs together and counting from time 0, that is longer than the limit is shortened to the
/// limit. Inside a shortened gap, timeline time runs at log speed for `limit` and then jumps to
/// the gap's end; nothing happens there, so no state is skipped.
public struct ReplayTimeMap: Sendable, Equatable {
    /// One shortened gap: log time `start..<end`, of which only `limit` remains.
    struct Cut: Sendable, Equatable {
        let start: Int64
        let end: Int64
        /// Log time removed by all earlier cuts.
        let removedBefore: Int64
    }

    /// The idle limit in µs, if silences are compressed.
    public let idleLimit: Int64?
    /// Timeline length: the last event's timeline time.
    public let total: Int64
    let cuts: [Cut]

    /// The identity map over `0...end`.
    public init(end: Int64) {
        idleLimit = nil
        total = max(0, end)
        cuts = []
    }

    /// The map for logs whose events happen at `shift + times[i]` log time (each `times`
    /// sorted), with silences longer than `idleLimit` µs shortened to it.
    public init(logs: [(times: [Int64], shift: Int64)], idleLimit: Int64?) {
        let end = logs.compactMap { log in log.times.last.map { $0 + log.shift } }.max() ?? 0
        guard let idleLimit else {
            self.idleLimit = nil
            total = end
            cuts = []
            return
        }
        let limit = max(0, idleLimit)
        var cuts: [Cut] = []
        var removed: Int64 = 0
        // A k-way merge of the sorted lists, remembering only the previous time.
        var next = logs.map { _ in 0 }
        var previous: Int64 = 0
        while true {
            var best: (list: Int, time: Int64)?
            for (list, log) in logs.enumerated() where next[list] < log.times.count {
                let time = log.shift + log.times[next[list]]
                if best == nil || time < best!.time { best = (list, time) }
            }
            guard case let (list, time)? = best else { break }
            next[list] += 1
            if time - previous > limit {
                cuts.append(Cut(start: previous, end: time, removedBefore: removed))
                removed += time - previous - limit
            }
            previous = max(previous, time)
        }
        self.idleLimit = limit
        self.cuts = cuts
        total = end - removed
    }

    /// The timeline time of log time `log`.
    public func timeline(fromLog log: Int64) -> Int64 {
        guard let limit = idleLimit, let cut = lastCut(where: { $0.start <= log }) else { return log }
        if log >= cut.end { return log - cut.removedBefore - (cut.end - cut.start - limit) }
        return min(log, cut.start + limit) - cut.removedBefore
    }

    /// The log time shown at timeline time `timeline`.
    public func log(fromTimeline timeline: Int64) -> Int64 {
        guard let limit = idleLimit, let cut = lastCut(where: { $0.start - $0.removedBefore <= timeline }) else { return timeline }
        let intoGap = timeline - (cut.start - cut.removedBefore)
        return intoGap < limit ? cut.start + intoGap : timeline + cut.removedBefore + (cut.end - cut.start - limit)
    }

    /// The last cut satisfying a predicate that holds for a prefix of the cuts.
    private func lastCut(where holds: (Cut) -> Bool) -> Cut? {
        var low = 0
        var high = cuts.count
        while low < high {
            let mid = (low + high) / 2
            if holds(cuts[mid]) { low = mid + 1 } else { high = mid }
        }
        return low > 0 ? cuts[low - 1] : nil
    }
}
