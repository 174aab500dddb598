extension SessionBoard {
    /// A board with one session per `[[session]]` of `config`, numbered in file order.
    ///
    /// - Parameters:
    ///   - recording: where each session records, or nil for none.
    ///   - saveAudioDirectory: when set, each session's agent and user audio is saved beside its
    ///     log (``SavedAudioFiles``), or in this directory as `NN-name.agent.wav` and
    ///     `NN-name.user.wav` for a session that records no log.
    ///   - listenTap: where every session's agent and user audio is offered, for listening in (`L`).
    ///   - levelMeters: where every session's user and agent levels are kept, for the meters.
    ///   - observer: called with each session's number, name and every event it consumed.
    ///   - clock: the time of every session, of the simulator and of the scripts.
    public convenience init(
        config: ConsoleConfig, recording: (SessionConfig) throws(LogWriteError) -> RecordingDirectory?,
        saveAudioDirectory: String? = nil, listenTap: ListenTap? = nil, levelMeters: LevelMeters? = nil, transcriptCapacity: Int = SessionState.defaultTranscriptCapacity,
        observer: (@Sendable (Int, String, SessionEvent) -> Void)? = nil, clock: any Clock<Duration> = ContinuousClock()
    ) throws(LogWriteError) {
        var sessions: [ConversationSession] = []
        var autostart: Set<Int> = []
        var audioFiles: [AudioFileRecorder] = []
        let ticker = SimTicker(clock: clock)
        let changes = ChangeSignal()
        for (index, entry) in config.sessions.enumerated() {
            let number = index + 1
            let name = entry.name
            var sessionObserver: (@Sendable (SessionEvent) -> Void)?
            if let observer {
                sessionObserver = { event in observer(number, name, event) }
            }
            // Placed once the session has named its log; written by the log writers, never
            // where the audio arrives (an event loop).
            let recorders = saveAudioDirectory.map { _ in
                (agent: AudioFileRecorder(writer: OutboxWriters.shared.assign()), user: AudioFileRecorder(writer: OutboxWriters.shared.assign()))
            }
            if let recorders { audioFiles += [recorders.agent, recorders.user] }
            var agentAudio: (@Sendable (AgentAudio) -> Void)?
            if recorders != nil || listenTap != nil || levelMeters != nil {
                agentAudio = { audio in
                    recorders?.agent.append(audio.chunk)
                    listenTap?.offer(audio, from: number)
                    levelMeters?.record(audio.chunk, side: .agent, session: number)
                }
            }
            var userAudio: (@Sendable (AudioChunk) -> Void)?
            if recorders != nil || listenTap != nil || levelMeters != nil {
                userAudio = { chunk in
                    recorders?.user.append(chunk)
                    listenTap?.offer(AgentAudio(chunk, eventId: nil), from: number, side: .user)
                    levelMeters?.record(chunk, side: .user, session: number)
                }
            }
            do {
                let directory = try recording(entry)
                let session = try ConversationSession(
                    number: number, name: name, backend: entry.backend.rawValue, transcriptCapacity: transcriptCapacity,
                    recording: directory, observer: sessionObserver, idleAudio: entry.idleAudio, alertRules: config.alerts, clock: clock,
                    userAudio: userAudio, changes: changes, makeTransport: entry.transportFactory(simTicker: ticker, agentAudio: agentAudio))
                sessions.append(session)
                if let recorders, let saveAudioDirectory {
                    let files = session.logPath.map(SavedAudioFiles.init(logPath:))
                        ?? SavedAudioFiles(base: "\(saveAudioDirectory)/\(number < 10 ? "0" : "")\(number)-\(RecordingDirectory.fileSafe(name))")
                    recorders.agent.place(at: files.agent)
                    recorders.user.place(at: files.user)
                }
            } catch {
                Self.removeLogs(of: sessions)
                throw error
            }
            if entry.autostart { autostart.insert(number) }
        }
        self.init(sessions, autostart: autostart, clock: clock, changes: changes, audioFiles: audioFiles)
    }

    /// The players for the scripts of `config`'s sessions (one per session with a script), on
    /// this board's clock.
    public func scriptPlayers(config: ConsoleConfig, report: @escaping @Sendable (String) -> Void) -> [ScriptPlayer] {
        zip(sessions, config.sessions).compactMap { session, entry in
            entry.script.isEmpty ? nil : ScriptPlayer(
                    session: session, steps: entry.script, chunkMilliseconds: entry.chunkMilliseconds, clock: clock, report: report)
        }
    }
}
