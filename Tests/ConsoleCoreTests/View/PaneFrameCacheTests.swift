import ConvEngine
import Testing

@testable import ConsoleCore

/// The render loop makes again only the frames that can have changed (issue 16: the table of
/// 10,000 idle sessions within 0.5% of a core).
@Suite struct PaneFrameCacheTests {
    /// Updates `cache` and returns the panes whose frames were made.
    private static func update(
        _ cache: inout PaneFrameCache, _ versions: [UInt64], newSecond: Bool, active: Set<Int> = []
    ) -> [Int] {
        var made: [Int] = []
        cache.update(versions: versions, newSecond: newSecond, isActive: { active.contains($0) }) { pane in
            made.append(pane)
            let snapshot = SessionSnapshot(number: pane + 1, name: "s\(pane + 1)", state: SessionState(backend: "sim"), logPath: nil)
            return PaneFrame(snapshot: snapshot, version: versions[pane], now: 0)
        }
        return made
    }

    @Test func endedPanesAreNotMadeAgainAsTheSecondsTurn() {
        var cache = PaneFrameCache()
        let versions: [UInt64] = [1, 1, 1, 1]
        #expect(Self.update(&cache, versions, newSecond: true) == [0, 1, 2, 3])
        #expect(Self.update(&cache, versions, newSecond: true) == [])
        #expect(Self.update(&cache, versions, newSecond: true, active: [2]) == [2])
        #expect(cache.frames.map(\.version) == [1, 1, 1, 1])
    }

    /// A moved pane is made at once, and again when the second turns (its figures were held
    /// back until then), then no more.
    @Test func movedPanesAreMadeAtOnceAndOnTheNextSecond() {
        var cache = PaneFrameCache()
        var versions: [UInt64] = [1, 1, 1]
        _ = Self.update(&cache, versions, newSecond: true)
        versions[1] = 2
        cache.moved(1)
        #expect(cache.hasMoved)
        #expect(Self.update(&cache, versions, newSecond: false) == [1])
        #expect(!cache.hasMoved)
        #expect(cache.frames[1].version == 2)
        #expect(Self.update(&cache, versions, newSecond: false) == [])
        #expect(Self.update(&cache, versions, newSecond: true) == [1])
        #expect(Self.update(&cache, versions, newSecond: true) == [])
    }

    @Test func everyFrameIsMadeAfterAKeyOrWhenThePanesChange() {
        var cache = PaneFrameCache()
        _ = Self.update(&cache, [1, 1], newSecond: true)
        cache.remakeAllFrames()
        #expect(Self.update(&cache, [1, 1], newSecond: false) == [0, 1])
        #expect(Self.update(&cache, [1, 1, 1], newSecond: false) == [0, 1, 2])
    }
}
