import Testing
import TestSupport
@testable import ConvEngine

@Suite("Replay cursor")
struct ReplayCursorTests {
    @Test func everyPositionEqualsTheFoldFromScratch() async throws {
        let logs = TestLogs()
        let events = TestLogs.conversation(count: 1500, seed: 11)
        let path = logs.log("long", events: events)
        let log = try SessionLogReader.read(path: path)
        let index = try ReplayIndex.build(path: path)
        var random = SimRandom(seed: 3)
        var targets = (0..<40).map { _ in Int(random.next() % UInt64(events.count + 1)) }
        targets += [events.count, 0, 257, 256, 255, events.count - 1]
        let moves = targets
        let mismatches = await cpuHeavy { () -> [Int] in
            let cursor = try! ReplayCursor(index: index, checkpoints: ReplayCheckpoints(index: index, minimumAnchorsPerCheckpoint: 1))
            let expected = TestLogs.folds(log.header, events, afterEventCounts: moves)
            var mismatches: [Int] = []
            for target in moves {
                cursor.move(toEventCount: target)
                if cursor.applied != target || cursor.state != expected[target] { mismatches.append(target) }
            }
            cursor.move(toEventCount: events.count)
            if cursor.state != log.finalState() { mismatches.append(-1) }
            return mismatches
        }
        #expect(mismatches == [])
    }

    @Test func corruptLinesInTheMiddleAreSkippedConsistently() throws {
        let logs = TestLogs()
        let events = TestLogs.conversation(count: 600, seed: 5)
        var lines = [TestLogs.headerLine()] + events.map(TestLogs.line)
        lines.insert("not json", at: 100)
        lines.insert(#"{"t":1.000000,"run":1,"type":"user_message","oops":1}"#, at: 400)
        let path = logs.file("holes.jsonl", lines.joined(separator: "\n") + "\n")
        let index = try ReplayIndex.build(path: path)
        #expect(index.eventCount == events.count + 1)
        let cursor = try ReplayCursor(index: index)
        cursor.move(toEventCount: index.eventCount)
        var expected = SessionLogHeader(sessionNumber: 1, sessionName: "x", backend: "sim", startedAtMicros: 0).emptyState()
        for event in events { expected.apply(event) }
        #expect(cursor.state == expected)
        cursor.move(toEventCount: 50)
        cursor.move(toEventCount: index.eventCount)
        #expect(cursor.state == expected)
    }

    @Test func checkpointsStayBoundedForLongLogs() throws {
        let logs = TestLogs()
        let events = (0..<3000).map { SessionEvent(offset: Int64($0), run: 1, kind: .ping(eventId: $0, latencyMs: 1)) }
        let index = try ReplayIndex.build(path: logs.log("pings", events: events))
        #expect(ReplayCheckpoints(index: index).stride == ReplayCheckpoints.minimumAnchorsPerCheckpoint * ReplayIndex.anchorInterval)
        let cursor = try ReplayCursor(index: index, checkpoints: ReplayCheckpoints(index: index, minimumAnchorsPerCheckpoint: 1))
        #expect(cursor.checkpoints.stride == ReplayIndex.anchorInterval)
        #expect(ReplayCheckpoints.maxCount * cursor.checkpoints.stride >= events.count)
        #expect(!cursor.checkpoints.isComplete)
        ReplayCursor.prepare(cursor.checkpoints, for: cursor.index)
        #expect(cursor.checkpoints.isComplete)
        let far = cursor.checkpoints.nearest(atOrBelow: 11)
        #expect(far.slot == 11)
        var expected = cursor.index.header.emptyState()
        for event in events.prefix(11 * cursor.checkpoints.stride) { expected.apply(event) }
        #expect(far.state == expected)
    }
}
