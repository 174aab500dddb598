/// One side of a recorded session's saved audio (`--save-audio`), put back on its log's time:
/// which samples of the WAV file were heard when, and how loud they were.
///
/// The file holds the pieces back to back; the log says when each arrived (`agent_audio`,
/// `user_audio`: offset, bytes, ms). Piece *i* takes the file's samples in proportion to its
/// bytes (one session keeps one format, so samples and bytes are proportional). Pieces are
/// placed as listening in plays them live (``ListenSchedule``): each when it arrived, or when
/// the one before it ends; an interruption ends the agent's stale audio at that moment, by the
/// session's own watermark rule, so a replay is heard as the caller heard the call.
public struct ReplayAudioTrack: Sendable, Equatable {
    /// A stretch of the file, heard from `start` to `end` (µs on the log's offsets).
    public struct Piece: Sendable, Equatable {
        public let start: Int64
        public let end: Int64
        /// The piece's first sample in the file.
        public let firstSample: Int
        public let sampleCount: Int
    }

    /// A level as the live meter shows it: from the piece's arrival, for its duration (at
    /// least ``LevelMeters/holdMilliseconds``).
    public struct Level: Sendable, Equatable {
        public let from: Int64
        public let until: Int64
        public let dBFS: Double
    }

    /// What the log says of one piece of audio, in log order.
    public enum Entry: Sendable, Equatable {
        /// Audio arrived or was sent at `offset`; `eventId` says which reply it belongs to.
        case audio(offset: Int64, eventId: Int?, bytes: Int, ms: Int)
        /// The caller barged in: agent audio at or below `watermark` is stale.
        case interruption(offset: Int64, eventId: Int?)
        /// A new run (a reconnect) starts with no watermark.
        case runStarted
    }

    public let sampleRate: Int
    public let pieces: [Piece]
    public let levels: [Level]

    /// Places `samples` (the file's, at `sampleRate`) on the log's time.
    ///
    /// - Parameters:
    ///   - entries: the log's audio events of this side (and its interruptions and runs).
    ///   - dropsStale: whether an interruption makes audio stale (the agent's side).
    public init(entries: [Entry], samples: [Int16], sampleRate: Int, dropsStale: Bool) {
        self.sampleRate = sampleRate
        struct Arrival {
            let offset: Int64
            let eventId: Int?
            let bytes: Int
            let ms: Int
        }
        // Which entries the file holds: the stale ones never reached it (the conversation
        // drops them before they are saved).
        var kept: [Arrival] = []
        var cuts: [(at: Int, offset: Int64, watermark: Int)] = []
        var watermark: Int?
        for entry in entries {
            switch entry {
            case .runStarted:
                watermark = nil
            case .interruption(let offset, let eventId):
                guard dropsStale, let eventId else { continue }
                let mark = max(watermark ?? eventId, eventId)
                watermark = mark
                cuts.append((kept.count, offset, mark))
            case .audio(let offset, let eventId, let bytes, let ms):
                if dropsStale, let eventId, let watermark, eventId <= watermark { continue }
                if bytes > 0 { kept.append(Arrival(offset: offset, eventId: eventId, bytes: bytes, ms: ms)) }
            }
        }
        // Sums in Double: the sizes come from a log, which may be hostile, and must not trap.
        let totalBytes = kept.reduce(0.0) { $0 + Double($1.bytes) }
        let totalMs = kept.reduce(0.0) { $0 + Double(max(0, $1.ms)) }
        // Samples per byte: the file's own ratio when it holds all the audio (the logged ms are
        // rounded down, so a whole file reads a little longer than their sum); the logged ms'
        // when it holds less (a write failed), so the pieces it does hold stay in place.
        let byMs = totalBytes > 0 ? totalMs * Double(sampleRate) / 1000 / totalBytes : 0
        let byFile = totalBytes > 0 ? Double(samples.count) / totalBytes : 0
        let perByte = byFile >= byMs * 0.98 ? byFile : byMs
        // Pieces as scheduled so far, with what an interruption needs to know of each.
        var scheduled: [(piece: Piece, eventId: Int?, arrival: Int64)] = []
        var levels: [Level] = []
        var nextCut = 0
        func interrupt(at offset: Int64, watermark: Int) {
            var until = offset
            scheduled = scheduled.compactMap { item in
                guard item.piece.end > offset else { return item }
                if item.eventId.map({ $0 <= watermark }) ?? true {
                    // Stale: what was playing stops now; what was queued is never heard.
                    return item.piece.start < offset ? (item.piece.ending(at: offset), item.eventId, item.arrival) : nil
                }
                if item.piece.start < offset {
                    until = item.piece.end
                    return item
                }
                // A newer reply queued behind the stale one moves up.
                let moved = item.piece.moved(to: max(item.arrival, until))
                until = moved.end
                return (moved, item.eventId, item.arrival)
            }
        }
        var bytesBefore = 0.0
        for (index, arrival) in kept.enumerated() {
            while nextCut < cuts.count, cuts[nextCut].at <= index {
                interrupt(at: cuts[nextCut].offset, watermark: cuts[nextCut].watermark)
                nextCut += 1
            }
            let first = min(samples.count, Int(min(Double(samples.count), bytesBefore * perByte).rounded()))
            bytesBefore += Double(arrival.bytes)
            let last = min(samples.count, Int(min(Double(samples.count), bytesBefore * perByte).rounded()))
            guard last > first else { continue }
            let duration = Int64(last - first) * 1_000_000 / Int64(sampleRate)
            let start = max(arrival.offset, scheduled.last?.piece.end ?? arrival.offset)
            scheduled.append((Piece(start: start, end: Self.plus(start, duration), firstSample: first, sampleCount: last - first), arrival.eventId, arrival.offset))
            let hold = max(Int64(LevelMeters.holdMilliseconds) * 1000, duration)
            levels.append(Level(from: arrival.offset, until: Self.plus(arrival.offset, hold), dBFS: AudioLevel.dBFS(Array(samples[first..<last]))))
        }
        for cut in cuts[nextCut...] { interrupt(at: cut.offset, watermark: cut.watermark) }
        let pieces = scheduled.map(\.piece).filter { $0.sampleCount > 0 }
        self.pieces = pieces
        self.levels = levels
    }

    /// `a + b`, at most `Int64.max` (log offsets are read from files, which may be hostile).
    static func plus(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }

    /// The level the live meter showed at `offset`: the latest piece's that arrived by then,
    /// while it holds; nil when nothing was heard lately.
    public func level(at offset: Int64) -> Double? {
        var low = 0
        var high = levels.count
        while low < high {
            let mid = (low + high) / 2
            if levels[mid].from <= offset { low = mid + 1 } else { high = mid }
        }
        guard low > 0, levels[low - 1].until > offset else { return nil }
        return levels[low - 1].dBFS
    }

    /// `count` samples at `rate` of what was heard from `offset` on, `speed` times as fast
    /// (resampled, so the pitch moves with the speed), read from `samples` (the file's);
    /// silence where nothing was heard.
    public func render(_ samples: [Int16], from offset: Int64, count: Int, rate: Int, speed: Double = 1) -> [Int16] {
        var out = [Int16](repeating: 0, count: count)
        guard count > 0, sampleRate > 0 else { return out }
        // µs of log time per output sample.
        let step = speed * 1_000_000 / Double(rate)
        let end = offset + Int64((Double(count) * step).rounded(.up))
        var i = firstPiece(endingAfter: offset)
        while i < pieces.count, pieces[i].start < end {
            let piece = pieces[i]
            i += 1
            let from = max(0, Int((Double(max(piece.start, offset) - offset) / step).rounded(.up)))
            let to = min(count, Int((Double(min(piece.end, end) - offset) / step).rounded(.up)))
            guard from < to else { continue }
            for j in from..<to {
                let time = Double(offset - piece.start) + Double(j) * step
                let position = time * Double(sampleRate) / 1_000_000
                let index = Int(position)
                guard index >= 0, index < piece.sampleCount, piece.firstSample + index < samples.count else { continue }
                let a = Double(samples[piece.firstSample + index])
                let b = index + 1 < piece.sampleCount && piece.firstSample + index + 1 < samples.count
                    ? Double(samples[piece.firstSample + index + 1]) : a
                let fraction = position - Double(index)
                out[j] = Int16((a + (b - a) * fraction).rounded())
            }
        }
        return out
    }

    /// The first piece that ends after `offset` (pieces never overlap and are in order).
    private func firstPiece(endingAfter offset: Int64) -> Int {
        var low = 0
        var high = pieces.count
        while low < high {
            let mid = (low + high) / 2
            if pieces[mid].end <= offset { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

extension ReplayAudioTrack.Piece {
    /// The piece heard only until `time`.
    func ending(at time: Int64) -> Self {
        let duration = max(0, time - start)
        let heard = Int(Int64(sampleCount) * duration / max(1, end - start))
        return Self(start: start, end: start + duration, firstSample: firstSample, sampleCount: heard)
    }

    /// The piece heard from `time` instead.
    func moved(to time: Int64) -> Self {
        Self(start: time, end: ReplayAudioTrack.plus(time, end - start), firstSample: firstSample, sampleCount: sampleCount)
    }
}
