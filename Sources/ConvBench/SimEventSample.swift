import ConvEngine
import Glibc

/// Events of real simulator sessions, recorded once at a fast pace and stretched back to the
/// simulator's usual pace, to be written into benchmark logs as often as needed.
struct SimEventSample {
    /// Each session's events in order, offsets in µs at the usual pace.
    let sessions: [[SessionEvent]]
    /// Offset of the last event over all sessions.
    var duration: Int64 { sessions.compactMap { $0.last?.offset }.max() ?? 0 }
    /// Highest run number over all sessions.
    var runCount: Int { sessions.flatMap { $0.map(\.run) }.max() ?? 0 }

    /// Runs `count` simulator sessions for `seconds` at `pace` and keeps what they emitted, with
    /// offsets multiplied by `usualPace / pace` (the simulator's delays scale with the pace).
    static func record(count: Int, seconds: Double, pace: Double, usualPace: Double = 0.75) async throws -> SimEventSample {
        let collected = Collector(count: count)
        let board = try SessionBoard.simulated(count: count, options: SimOptions(seed: 42, pace: pace), recording: nil) {
            number, _, event in collected.events.withLock { $0[number - 1].append(event) }
        }
        board.startAll()
        try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
        board.stopAll()
        try await Task.sleep(for: .milliseconds(200))
        await board.shutdown()
        let stretch = usualPace / pace
        let sessions = collected.events.withLock { $0 }.map { events in
            events.map { SessionEvent(offset: Int64(Double($0.offset) * stretch), run: $0.run, kind: $0.kind) }
        }
        return SimEventSample(sessions: sessions)
    }

    /// Each session's events as the simulator's threads hand them over.
    private final class Collector: Sendable {
        let events: Locked<[[SessionEvent]]>
        init(count: Int) { events = Locked(Array(repeating: [], count: count)) }
    }

    /// Writes a log at `path` (which must not exist) holding every session's events one after
    /// another, repeated with offsets and run numbers shifted, until it is at least `bytes` long
    /// or lasts at least `duration` µs, whichever comes first (checked after each session's
    /// events, so a small log holds one session). The sessions start at the
    /// `rotation`th, so logs written with different rotations differ.
    func writeLog(
        path: String, bytes: Int64 = .max, duration limit: Int64 = .max,
        header: SessionLogHeader = SessionLogHeader(sessionNumber: 1, sessionName: "bench", backend: "sim", startedAtMicros: 0),
        rotation: Int = 0
    ) throws(LogWriteError) {
        let writer = try SessionLogWriter(path: path, header: header)
        defer { writer.close() }
        let span = duration + 1_000_000
        let runs = runCount
        let first = sessions.isEmpty ? 0 : rotation % sessions.count
        let ordered = Array(sessions[first...] + sessions[..<first])
        var round: Int64 = 0
        var last: Int64 = 0
        while fileSize(path) < bytes, last < limit {
            for (i, events) in ordered.enumerated() where fileSize(path) < bytes && last < limit {
                let shift = (round * Int64(sessions.count) + Int64(i)) * span
                let runShift = Int(round) * sessions.count * runs + i * runs
                for event in events {
                    let moved = SessionEvent(offset: event.offset + shift, run: event.run + runShift, kind: event.kind)
                    try writer.append(moved)
                    last = moved.offset
                }
            }
            round += 1
        }
    }
}

/// Size of the file at `path` in bytes (0 if it cannot be read).
func fileSize(_ path: String) -> Int64 {
    var info = stat()
    return stat(path, &info) == 0 ? Int64(info.st_size) : 0
}
