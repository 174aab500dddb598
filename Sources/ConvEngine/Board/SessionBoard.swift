#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The sessions of one console, addressed by 1-based number or by name.
///
/// The list is fixed when the board is made, so the board itself holds no mutable state;
/// each session guards its own.
public final class SessionBoard: Sendable {
    public let sessions: [ConversationSession]
    /// Numbers of the sessions that start on launch (a config's `autostart`).
    public let autostart: Set<Int>
    /// What ``shutdown(reason:timeout:)`` waits on, and the scripts' time.
    let clock: any Clock<Duration>
    /// Moves when any session publishes, if the sessions were made with it.
    public let changes: ChangeSignal?
    /// The sessions' saved audio files (`--save-audio`), closed with the logs.
    let audioFiles: [AudioFileRecorder]

    /// - Parameters:
    ///   - autostart: the numbers of the sessions to start on launch; nil for all.
    ///   - clock: the sessions' clock (tests pass one they advance).
    ///   - changes: the signal every session was made with, if they share one.
    ///   - audioFiles: the sessions' saved audio, written out and closed at ``shutdown(reason:timeout:)``.
    public init(
        _ sessions: [ConversationSession], autostart: Set<Int>? = nil, clock: any Clock<Duration> = ContinuousClock(),
        changes: ChangeSignal? = nil, audioFiles: [AudioFileRecorder] = []
    ) {
        self.sessions = sessions
        self.autostart = autostart ?? Set(sessions.map(\.number))
        self.clock = clock
        self.changes = changes
        self.audioFiles = audioFiles
    }

    /// The session a user means by `selector`: its number (`2`) or its name (`ava`).
    public func session(_ selector: String) -> ConversationSession? {
        if let number = Int(selector) {
            // Compared before subtracting: the number may be typed by a user (`-9223372036854775808`).
            return number >= 1 && number <= sessions.count ? sessions[number - 1] : nil
        }
        return sessions.first { $0.name == selector }
    }

    /// Deletes the logs of the sessions made before a later one could not be made: a start that
    /// fails (no file descriptors left) leaves no header-only logs behind.
    static func removeLogs(of sessions: [ConversationSession]) {
        for path in sessions.compactMap(\.logPath) { unlink(path) }
    }

    public func startAll() {
        for session in sessions { session.start() }
    }

    /// Starts the sessions marked to start on launch.
    public func startAutostarted() {
        for session in sessions where autostart.contains(session.number) { session.start() }
    }

    /// Stops every active session: all runs are ended first, then their tasks and sockets
    /// are released, so the last pane does not wait for the first one's socket.
    public func stopAll(reason: String = "stopped by operator") {
        endAll(reason: reason).release()
    }

    /// The first half of ``stopAll(reason:)``: every active run is ended (no more events,
    /// `ended` recorded and published); their tasks and sockets wait for ``StoppedRuns/release()``.
    public func endAll(reason: String = "stopped by operator") -> StoppedRuns {
        StoppedRuns(runs: sessions.compactMap { $0.end(reason: reason) })
    }

    /// Stops every session (their `ended` events say `reason`: `quit`, `duration`, `signal`),
    /// waits (up to `timeout`) for their runs to end, then closes the logs and saved audio.
    public func shutdown(reason: String = "console closed", timeout: Duration = .seconds(2)) async {
        stopAll(reason: reason)
        let waited = ElapsedClock(clock)
        while sessions.contains(where: { $0.snapshot.state.phase.isActive }), waited.elapsed < timeout {
            try? await waited.sleep(for: .milliseconds(5))
        }
        // Closed side by side: each waits for its own writer, none behind another's disk.
        await withTaskGroup(of: Void.self) { group in
            for session in sessions { group.addTask { await session.closeLog() } }
            for file in audioFiles { group.addTask { await file.close(within: .seconds(5)) } }
        }
    }

    /// One line per session whose recording failed at any time in this run (for stderr at
    /// exit, where a failed recording makes the exit status non-zero); empty when none did.
    public func recordingProblems() -> [String] {
        sessions.compactMap { session in
            let state = session.snapshot.state
            guard state.recordingFailures > 0 else { return nil }
            let outcome = state.recordingIssue ?? "it resumed, \(state.recordingLostLines) log lines lost"
            return "session \(session.number) (\(session.name)): recording failed: \(outcome)"
        }
    }

    /// How many sessions are in each phase, by phase name.
    public func phaseCounts() -> [String: Int] {
        var counts: [String: Int] = [:]
        for session in sessions { counts[session.snapshot.state.phase.name, default: 0] += 1 }
        return counts
    }
}
