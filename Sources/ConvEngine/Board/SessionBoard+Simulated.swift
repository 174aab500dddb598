extension SessionBoard {
    /// A board of `count` simulated sessions named after their personas (`ava`, `lina`, …,
    /// then `ava-2`, …), each recording into `recording` when given.
    ///
    /// - Parameters:
    ///   - observer: called with each session's number, name and every event it consumed.
    ///   - clock: the time of every session and of the simulator.
    public static func simulated(
        count: Int, options: SimOptions, recording: RecordingDirectory?,
        transcriptCapacity: Int = SessionState.defaultTranscriptCapacity,
        observer: (@Sendable (Int, String, SessionEvent) -> Void)? = nil, alertRules: AlertRules = AlertRules(),
        measuresTurns: Bool = true, clock: any Clock<Duration> = ContinuousClock()
    ) throws(LogWriteError) -> SessionBoard {
        var sessions: [ConversationSession] = []
        let ticker = SimTicker(clock: clock)
        let changes = ChangeSignal()
        for number in 1...max(1, count) {
            let persona = Persona.forSession(number)
            let round = (number - 1) / Persona.all.count + 1
            let name = round == 1 ? persona.name : "\(persona.name)-\(round)"
            var sessionObserver: (@Sendable (SessionEvent) -> Void)?
            if let observer {
                sessionObserver = { event in observer(number, name, event) }
            }
            do {
                let session = try ConversationSession(
                    number: number, name: name, backend: "sim", transcriptCapacity: transcriptCapacity, recording: recording,
                    observer: sessionObserver, alertRules: alertRules, measuresTurns: measuresTurns, clock: clock, changes: changes,
                    makeTransport: SimTransport.factory(options, ticker: ticker))
                sessions.append(session)
            } catch {
                removeLogs(of: sessions)
                throw error
            }
        }
        return SessionBoard(sessions, clock: clock, changes: changes)
    }
}
