import ConvEngine
import Testing

@Suite("Event journal")
struct EventJournalTests {
    private func text(_ offset: Int64, _ words: String) -> SessionEvent {
        SessionEvent(offset: offset, run: 1, kind: .agentTextDone(responseId: "r", text: words))
    }

    private func audio(_ offset: Int64) -> SessionEvent {
        SessionEvent(offset: offset, run: 1, kind: .agentAudio(eventId: 1, bytes: 320, durationMs: 10))
    }

    @Test("events are numbered in one sequence and framed with it")
    func sequence() async throws {
        let journal = EventJournal(capacity: 8)
        let watcher = journal.watch(from: nil)
        journal.record(session: 1, name: "ava", text(1, "one"))
        journal.record(session: 2, name: "lina", text(2, "two"))
        guard case .lines(let lines, 0, 0)? = await watcher.next() else { Issue.record("no lines"); return }
        #expect(lines.map(\.sequence) == [1, 2])
        let framed = try JSONParser.parse(lines[1].framed)
        #expect(framed["seq"]?.intValue == 2)
        #expect(framed["session"]?.intValue == 2)
        #expect(framed["name"]?.stringValue == "lina")
        #expect(framed["type"]?.stringValue == "agent_text_done")
        #expect(journal.nextSequence == 3)
    }

    @Test("from SEQ replays the recent past exactly once, then goes on live; one session can be chosen")
    func resume() async {
        let journal = EventJournal(capacity: 100)
        for index in 1...10 { journal.record(session: index % 2 + 1, name: "s", text(Int64(index), "\(index)")) }
        let all = journal.watch(from: 4)
        #expect(all.start.requested == 4 && all.start.first == 4 && all.start.next == 11 && all.start.missed == 0)
        let odd = journal.watch(from: 1, session: 2)
        journal.record(session: 2, name: "s", text(11, "11"))
        guard case .lines(let lines, _, _)? = await all.next() else { Issue.record("no lines"); return }
        #expect(lines.map(\.sequence) == Array(4...11))
        guard case .lines(let mine, _, _)? = await odd.next() else { Issue.record("no lines"); return }
        #expect(mine.map(\.sequence) == [1, 3, 5, 7, 9, 11])
    }

    @Test("poll never waits: nothing, then every watcher's own lines in order, then the end once closed")
    func poll() {
        let journal = EventJournal(capacity: 100)
        let all = journal.watch(from: nil)
        let second = journal.watch(from: nil, session: 2)
        let third = journal.watch(from: nil)
        #expect(all.poll() == .nothingWaiting)
        for index in 1...30 { journal.record(session: index % 3 + 1, name: "s", text(Int64(index), "\(index)")) }
        guard case .delivery(.lines(let first, 0, 0)) = all.poll(limit: 10) else { Issue.record("no lines"); return }
        guard case .delivery(.lines(let rest, 0, 0)) = all.poll() else { Issue.record("no lines"); return }
        #expect((first + rest).map(\.sequence) == Array(1...30))
        guard case .delivery(.lines(let mine, _, _)) = second.poll() else { Issue.record("no lines"); return }
        #expect(mine.map(\.sequence) == Array(stride(from: 1, through: 30, by: 3)))
        guard case .delivery(.lines(let theirs, _, _)) = third.poll() else { Issue.record("no lines"); return }
        #expect(theirs.map(\.sequence) == Array(1...30))
        #expect(all.poll() == .nothingWaiting)
        all.close()
        #expect(all.poll() == .ended)
    }

    @Test("with a history, a start older than the ring is planned from the logs, as far back as the order is kept")
    func history() {
        // A ring of 4 (events 27–30) and the order of 8 to 10 events (two forgotten each time it
        // passes 10): events 21–30 after 30.
        let journal = EventJournal(capacity: 4, historyLimit: 8)
        for index in 1...30 { journal.record(session: index % 2 + 1, name: "s", text(Int64(index), "\(index)")) }
        let recent = journal.watch(from: 22)
        #expect(recent.history?.first == 22 && recent.history?.end == 27 && recent.history?.count == 5)
        #expect(recent.start.first == 22 && recent.start.missed == 0)
        let one = journal.watch(from: 22, session: 1)
        #expect(one.history?.count == 3, "events 22, 24 and 26 are session 1's")
        let old = journal.watch(from: 1)
        #expect(old.history?.first == 21 && old.start.first == 21 && old.start.missed == 20)
        let inRing = journal.watch(from: 28)
        #expect(inRing.history == nil && inRing.start.first == 28)
        #expect(EventJournal(capacity: 4).watch(from: 1).history == nil, "no history without logs")
    }

    @Test("a start older than the ring says how many events it missed")
    func missed() {
        let journal = EventJournal(capacity: 4)
        for index in 1...10 { journal.record(session: 1, name: "s", text(Int64(index), "x")) }
        let watcher = journal.watch(from: 2)
        #expect(watcher.start.first == 7)
        #expect(watcher.start.missed == 5)
        #expect(journal.watch(from: 50).start.first == 11)
    }

    @Test("a watcher that stops reading is cut off and told why; recording never waits for it")
    func slowWatcher() async {
        let journal = EventJournal(capacity: 16)
        let watcher = journal.watch(from: nil, limits: .init(audioLines: 4, audioBytes: 1 << 20, lines: 50, bytes: 1 << 20))
        let cut = Task { await watcher.waitUntilCut() }
        for index in 1...40 { journal.record(session: 1, name: "s", audio(Int64(index))) }
        for index in 41...100 { journal.record(session: 1, name: "s", text(Int64(index), "x")) }
        #expect(await cut.value?.contains("fell behind") == true)
        guard case .cut(let reason, let dropped)? = await watcher.next() else { Issue.record("not cut"); return }
        #expect(reason.contains("fell behind"))
        #expect(dropped == 36)
        #expect(await watcher.next() == nil)
    }

    @Test("a waiting reader returns nil when its task is cancelled, and a closed subscription is forgotten")
    func cancellation() async {
        let journal = EventJournal()
        let waiting = Task {
            let watcher = journal.watch(from: nil)
            return await watcher.next()
        }
        try? await Task.sleep(for: .milliseconds(20))
        waiting.cancel()
        #expect(await waiting.value == nil)
        #expect(journal.watcherCount == 0)
        let closed = journal.watch(from: nil)
        closed.close()
        #expect(await closed.next() == nil)
    }
}
