/// Plays a session's script once per run, from the moment the run is live.
///
/// Text goes through `sendText`, audio through `streamAudio` in real time (so through the send
/// gate, like any other sender). A stop or restart ends the script of that run; the next
/// live run plays it again from the start.
public struct ScriptPlayer: Sendable {
    public let session: ConversationSession
    public let steps: [ScriptStep]
    public let chunkMilliseconds: Int
    private let report: @Sendable (String) -> Void
    /// What step delays and the wait for a live run are measured on.
    private let clock: ElapsedClock

    public init(
        session: ConversationSession, steps: [ScriptStep], chunkMilliseconds: Int = 100,
        clock: any Clock<Duration> = ContinuousClock(), report: @escaping @Sendable (String) -> Void
    ) {
        self.session = session
        self.steps = steps
        self.chunkMilliseconds = chunkMilliseconds
        self.clock = ElapsedClock(clock)
        self.report = report
    }

    /// Runs until the calling task is cancelled.
    public func run() async {
        guard !steps.isEmpty else { return }
        var playedRun = 0
        while !Task.isCancelled {
            let state = session.snapshot.state
            if state.phase.isLive, state.run != playedRun {
                playedRun = state.run
                await play(run: playedRun)
            }
            do { try await clock.sleep(for: .milliseconds(50)) } catch { return }
        }
    }

    private func play(run: Int) async {
        for step in steps {
            do { try await clock.sleep(for: step.delay) } catch { return }
            let state = session.snapshot.state
            guard state.run == run, state.phase.isLive else { return }
            do {
                switch step.action {
                case .text(let text): try await session.sendText(text)
                case .audio(let audio, _): try await session.streamAudio(audio, chunkMilliseconds: chunkMilliseconds)
                }
            } catch {
                report("script of \(session.name): \(error)")
            }
        }
    }
}
