import ConvEngine
import FleetAgent
import Foundation

/// The tokens every loopback agent of these tests accepts.
enum TestTokens {
    static let control = "control-token-0123456789"
    static let readOnly = "read-only-token-0123456789"
}

/// An agent over `count` simulated sessions on a free loopback port for the duration of `body`;
/// with `recordIn`, the sessions keep logs there and a watcher can start before the journal's
/// ring of `capacity` events.
func withAgent(
    sessions count: Int = 2, options configure: (inout AgentOptions) -> Void = { _ in }, pace: Double = 0.1,
    capacity: Int = 4_096, recordIn: String? = nil, _ body: (AgentServer, Int) async throws -> Void
) async throws {
    let journal = EventJournal(capacity: capacity, historyLimit: recordIn.map { _ in EventJournal.defaultHistoryLimit })
    let names = (1...count).map { number in
        let persona = Persona.forSession(number)
        let round = (number - 1) / Persona.all.count + 1
        return round == 1 ? persona.name : "\(persona.name)-\(round)"
    }
    let metrics = AgentMetrics(sessions: names.map { ("sim", $0) }, labelSessions: false)
    let board = try SessionBoard.simulated(count: count, options: SimOptions(seed: 7, pace: pace), recording: try recordIn.map { try RecordingDirectory(path: $0) }) { number, name, event in
        journal.record(session: number, name: name, event)
        metrics.observe(session: number, event)
    }
    var options = AgentOptions(host: "127.0.0.1", port: 0)
    configure(&options)
    let server = AgentServer(
        board: board, journal: journal, metrics: metrics,
        tokens: try AccessTokens(control: TestTokens.control, readOnly: TestTokens.readOnly), options: options)
    let port = try await server.start()
    do {
        try await body(server, port)
    } catch {
        await server.stop()
        await board.shutdown()
        throw error
    }
    await server.stop()
    await board.shutdown()
}
