import Foundation
import Testing
import TestSupport
@testable import ConvEngine

@Suite("Replay player")
struct ReplayPlayerTests {
    static func events(_ times: [Int64], interruptionAt: Int64? = nil, errorAt: Int64? = nil) -> [SessionEvent] {
        var events = [SessionEvent(offset: 0, run: 1, kind: .runStarted(backend: "sim"))]
        for t in times {
            let kind: SessionEvent.Kind =
                t == interruptionAt ? .interruption(eventId: nil) : t == errorAt ? .serverError(code: "x", message: "y") : .userMessage(text: "at \(t)")
            events.append(SessionEvent(offset: t, run: 1, kind: kind))
        }
        return events
    }

    func messages(_ pane: ReplayPane) -> [String] {
        pane.snapshots.read().value.state.transcript.filter { $0.role == .user }.map(\.text)
    }

    @Test func wallClockAlignmentOverlapsSessionsThatRanTogether() {
        let logs = TestLogs()
        let a = logs.log("a", startedAt: 10_000_000, events: Self.events([1_000_000, 3_000_000]))
        let b = logs.log("b", startedAt: 12_000_000, events: Self.events([500_000]))
        let player = ReplayPlayer(paths: [a, b])
        #expect(player.clock.total == 3_000_000)
        player.seek(to: 2_400_000)
        #expect(messages(player.panes[0]) == ["at 1000000"])
        #expect(messages(player.panes[1]) == [], "b's message is at 2.5 s on the shared timeline")
        player.seek(to: 2_500_000)
        #expect(messages(player.panes[1]) == ["at 500000"])
        let fromZero = ReplayPlayer(paths: [a, b], alignment: .start)
        fromZero.seek(to: 600_000)
        #expect(messages(fromZero.panes[1]) == ["at 500000"])
    }

    /// With a budget, a far seek moves only the panes the budget allows (at least one); later
    /// calls move the rest, round robin, until every pane is where a budgetless seek puts it.
    @Test func aBudgetedSeekCatchesUpPaneByPane() {
        let logs = TestLogs()
        let paths = (1...3).map { logs.log("l\($0)", events: Self.events([1_000_000, 2_000_000 * Int64($0)])) }
        let player = ReplayPlayer(paths: paths, alignment: .start, prepareCheckpoints: false)
        player.catchUpBudget = .zero
        player.goToEnd()
        #expect(player.panesBehind == 2)
        #expect(player.panes.map { messages($0).count } == [2, 0, 0])
        #expect(player.catchUp())
        #expect(player.catchUp())
        #expect(player.panesBehind == 0)
        #expect(!player.catchUp(), "nothing left to move")
        let whole = ReplayPlayer(paths: paths, alignment: .start, prepareCheckpoints: false)
        whole.goToEnd()
        #expect(player.panes.map(messages) == whole.panes.map(messages))
        #expect(player.panes.map(messages) == [["at 1000000", "at 2000000"], ["at 1000000", "at 4000000"], ["at 1000000", "at 6000000"]])
        // A seek while panes are behind goes on from the next pane, so each pane is reached.
        player.goToStart()
        player.goToEnd()
        #expect(player.panes.map { messages($0).count } == [0, 2, 2], "the start moved pane 1 only, the end pane 2 (already there); pane 3 never left the end")
    }

    @Test func aBadLogGetsAFailedPaneAndTheOthersStillPlay() {
        let logs = TestLogs()
        let good = logs.log("good", events: Self.events([1_000_000]))
        let bad = logs.file("bad.jsonl", "this is not a log\n")
        let player = ReplayPlayer(paths: [bad, good, logs.directory + "/missing.jsonl"])
        #expect(player.panes.count == 3)
        let failed = player.panes[0].snapshots.read().value
        #expect(failed.state.phase.name == "failed")
        #expect(failed.state.lastError?.contains("bad.jsonl") == true)
        #expect(failed.state.lastError?.contains("not a convtui session log") == true)
        #expect(player.panes[2].failure != nil)
        player.goToEnd()
        #expect(messages(player.panes[1]) == ["at 1000000"])
    }

    @Test func publishesOnlyWhenAPaneChanged() {
        let logs = TestLogs()
        let player = ReplayPlayer(paths: [logs.log("a", events: Self.events([1_000_000, 2_000_000]))])
        let channel = player.panes[0].snapshots
        player.seek(to: 1_000_000)
        let version = channel.version
        player.seek(to: 1_500_000)
        #expect(channel.version == version)
        player.seek(to: 2_000_000)
        #expect(channel.version != version)
    }

    @Test func playingMovesThePanesWithTheClock() {
        let logs = TestLogs()
        let player = ReplayPlayer(paths: [logs.log("a", events: Self.events([1_000_000, 2_000_000]))], speed: 2)
        player.play()
        player.advance(by: .milliseconds(600))
        #expect(player.clock.position == 1_200_000)
        #expect(messages(player.panes[0]) == ["at 1000000"])
        player.advance(by: .seconds(5))
        #expect(player.clock.isAtEnd)
        #expect(messages(player.panes[0]).count == 2)
    }

    @Test func aFrozenPaneHoldsAndCatchesUpWhenResumed() {
        let logs = TestLogs()
        let player = ReplayPlayer(paths: [logs.log("a", events: Self.events([1_000_000, 2_000_000]))])
        player.seek(to: 1_000_000)
        player.setFrozen(true, pane: 0)
        player.goToEnd()
        #expect(messages(player.panes[0]) == ["at 1000000"])
        player.setFrozen(false, pane: 0)
        #expect(messages(player.panes[0]).count == 2)
    }

    @Test func navigatesBetweenEventsAndMarks() {
        let logs = TestLogs()
        let a = logs.log("a", events: Self.events([1_000_000, 2_000_000, 3_000_000], interruptionAt: 2_000_000))
        let b = logs.log("b", events: Self.events([2_500_000], errorAt: 2_500_000))
        let player = ReplayPlayer(paths: [a, b], alignment: .start)
        #expect(player.marks == [
            ReplayMark(time: 2_000_000, pane: 1, kind: .interruption), ReplayMark(time: 2_500_000, pane: 2, kind: .error),
        ])
        player.nextEvent(pane: 0)
        #expect(player.clock.position == 1_000_000)
        player.nextEvent(pane: 0)
        #expect(player.clock.position == 2_000_000)
        player.nextMark()
        #expect(player.clock.position == 2_500_000)
        player.nextMark()
        #expect(player.clock.position == 2_500_000, "no mark after the last")
        player.previousMark()
        #expect(player.clock.position == 2_000_000)
        player.previousEvent(pane: 0)
        #expect(player.clock.position == 1_000_000)
        player.goToEnd()
        #expect(player.clock.position == 3_000_000)
        player.previousEvent(pane: 1)
        #expect(player.clock.position == 2_500_000)
        #expect(player.timeline.fraction(of: 1_500_000) == 0.5)
    }

    @Test func operatorMarksAreOnTheTimelineAndHaveTheirOwnJumps() {
        let logs = TestLogs()
        let a = logs.log("a", events: Self.events([1_000_000, 3_000_000], interruptionAt: 3_000_000) + [
            SessionEvent(offset: 4_000_000, run: 1, kind: .mark(note: "late")),
        ])
        let b = logs.log("b", events: [
            SessionEvent(offset: 0, run: 1, kind: .runStarted(backend: "sim")),
            SessionEvent(offset: 2_000_000, run: 1, kind: .mark(note: "")),
        ])
        let player = ReplayPlayer(paths: [a, b], alignment: .start)
        #expect(player.marks.filter { $0.kind == .operatorMark }.map(\.pane) == [2, 1])
        player.nextMark(operatorMarks: true)
        #expect(player.clock.position == 2_000_000, "the first operator mark, in pane 2")
        player.nextMark()
        #expect(player.clock.position == 3_000_000, "the interruption jump skips operator marks")
        player.nextMark(operatorMarks: true)
        #expect(player.clock.position == 4_000_000)
        player.previousMark(operatorMarks: true)
        #expect(player.clock.position == 2_000_000)
    }

    @Test func idleLimitShortensTheTimeline() {
        let logs = TestLogs()
        let player = ReplayPlayer(paths: [logs.log("a", events: Self.events([1_000_000, 61_000_000]))], idleLimit: .seconds(2))
        #expect(player.clock.total == 3_000_000)
        player.seek(to: 2_999_999)
        #expect(messages(player.panes[0]).count == 1)
        player.goToEnd()
        #expect(messages(player.panes[0]).count == 2)
    }

    @Test func backgroundCheckpointsMakeEverySeekExact() async throws {
        let logs = TestLogs()
        let path = logs.log("long", events: TestLogs.conversation(count: 5000, seed: 21))
        let log = try SessionLogReader.read(path: path)
        let (ready, mismatches) = await cpuHeavy { () -> (Bool, [Int64]) in
            let player = ReplayPlayer(paths: [path], alignment: .start)
            var random = SimRandom(seed: 8)
            let times = (0..<20).map { _ in Int64(random.next() % UInt64(player.clock.total + 1)) }
            let expected = TestLogs.folds(log, atTimes: times)
            var mismatches: [Int64] = []
            var ready = false
            for (round, time) in times.enumerated() {
                if round == 5 {
                    let deadline = ContinuousClock.now + .seconds(20)
                    while !player.checkpointsReady, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.01) }
                    ready = player.checkpointsReady
                }
                player.seek(to: time)
                if player.panes[0].snapshots.read().value.state != expected[time] { mismatches.append(time) }
            }
            return (ready, mismatches)
        }
        #expect(ready)
        #expect(mismatches == [])
    }
}
