import Testing
@testable import ConvEngine

@Suite("Snapshot channel")
struct SnapshotChannelTests {
    @Test func readIfNewerReturnsOnlyChangedValues() {
        let channel = SnapshotChannel(0)
        let first = channel.read()
        #expect(channel.read(ifNewerThan: first.version) == nil)
        channel.publish(5)
        let next = channel.read(ifNewerThan: first.version)
        #expect(next?.value == 5)
        #expect(next.map { $0.version > first.version } == true)
        #expect(channel.read(ifNewerThan: next!.version) == nil)
    }

    @Test func everyPublishMovesTheSharedChangeSignal() {
        let changes = ChangeSignal()
        let a = SnapshotChannel(0, changes: changes)
        let b = SnapshotChannel(0, changes: changes)
        let before = changes.value
        a.publish(1)
        #expect(changes.value != before)
        let afterA = changes.value
        b.publish(2)
        #expect(changes.value != afterA)
        #expect(b.read().value == 2)
    }

    @Test func hasMovedAgreesWithReadIfNewer() {
        let channel = SnapshotChannel("a")
        let first = channel.read().version
        #expect(!channel.hasMoved(since: first))
        channel.publish("b")
        #expect(channel.hasMoved(since: first))
        let second = channel.read().version
        #expect(!channel.hasMoved(since: second))
        #expect(channel.read(ifNewerThan: second) == nil)
    }

    @Test func concurrentPublishersAndReadersSeeMonotonicVersions() async {
        let channel = SnapshotChannel(0)
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask { for i in 0..<2000 { channel.publish(writer * 10_000 + i) } }
            }
            group.addTask {
                var last: UInt64 = 0
                for _ in 0..<4000 {
                    let version = channel.read().version
                    #expect(version >= last)
                    last = version
                }
            }
        }
        #expect(channel.version == 8001)
    }
}
