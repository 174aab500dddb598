import ConvEngine
import Testing

@Suite("Fleet tally")
struct FleetTallyTests {
    @Test("sessions are counted by phase per backend, or per session when asked")
    func phases() throws {
        let board = try SessionBoard.simulated(count: 3, options: SimOptions(seed: 1), recording: nil)
        let snapshots = board.sessions.map(\.snapshot)
        let byBackend = FleetTally(snapshots, bySession: false)
        let key = FleetTally.Key(backend: "sim")
        #expect(byBackend.phases[key]?["idle"] == 3)
        #expect(byBackend.phases[key]?["live"] == 0)
        #expect(byBackend.totals[key] == FleetTally.Totals())
        let bySession = FleetTally(snapshots, bySession: true)
        #expect(bySession.phases.count == 3)
        #expect(bySession.phases[FleetTally.Key(backend: "sim", session: "ava")]?["idle"] == 1)
        #expect(FleetTally.Key(backend: "sim", session: "ava").labels.map(\.0) == ["backend", "session"])
    }
}
