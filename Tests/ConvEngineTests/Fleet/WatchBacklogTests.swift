import ConvEngine
import Testing

@Suite("Watch backlog")
struct WatchBacklogTests {
    private func line(_ sequence: Int, audio: Bool = false, bytes: Int = 10) -> WatchLine {
        WatchLine(sequence: sequence, session: 1, isAudioChunk: audio, line: Array(repeating: UInt8(ascii: "x"), count: bytes))
    }

    @Test("a lagging watcher loses audio chunks first, counted, and keeps every other event")
    func audioFirst() {
        var backlog = WatchBacklog(limits: .init(audioLines: 3, audioBytes: 1 << 20, lines: 10, bytes: 1 << 20))
        for sequence in 1...3 { backlog.push(line(sequence)) }
        backlog.push(line(4, audio: true))
        backlog.push(line(5))
        backlog.push(line(6, audio: true))
        #expect(backlog.waitingLines == 4)
        let (lines, dropped) = backlog.take(upTo: 100)
        #expect(lines.map(\.sequence) == [1, 2, 3, 5])
        #expect(dropped == 2)
        #expect(backlog.droppedAudio == 2)
        #expect(backlog.take(upTo: 100).droppedAudio == 0)
        backlog.push(line(7, audio: true))
        #expect(backlog.take(upTo: 100).lines.map(\.sequence) == [7])
    }

    @Test("past the bound the watcher is cut off with a reason and its backlog freed")
    func cut() {
        var backlog = WatchBacklog(limits: .init(audioLines: 2, audioBytes: 1 << 20, lines: 4, bytes: 1 << 20))
        for sequence in 1...4 { backlog.push(line(sequence)) }
        #expect(backlog.cutReason == nil)
        backlog.push(line(5))
        #expect(backlog.cutReason?.contains("fell behind") == true)
        #expect(backlog.waitingLines == 0)
        #expect(backlog.waitingBytes == 0)
        backlog.push(line(6))
        #expect(backlog.waitingLines == 0)
    }

    @Test("the byte bound cuts off too; replayed audio is kept")
    func bytes() {
        var backlog = WatchBacklog(limits: .init(audioLines: 1, audioBytes: 15, lines: 100, bytes: 30))
        backlog.push(line(1, audio: true, bytes: 10), replay: true)
        backlog.push(line(2, audio: true, bytes: 10), replay: true)
        #expect(backlog.waitingLines == 2)
        backlog.push(line(3, audio: true, bytes: 10))
        #expect(backlog.droppedAudio == 1)
        backlog.push(line(4, bytes: 10))
        #expect(backlog.cutReason == nil)
        backlog.push(line(5, bytes: 10))
        #expect(backlog.cutReason != nil)
    }

    @Test("take hands out lines in order, a few at a time")
    func partialTakes() {
        var backlog = WatchBacklog()
        for sequence in 1...3_000 { backlog.push(line(sequence)) }
        var seen: [Int] = []
        while backlog.waitingLines > 0 { seen += backlog.take(upTo: 256).lines.map(\.sequence) }
        #expect(seen == Array(1...3_000))
        #expect(backlog.waitingBytes == 0)
    }
}
