import Testing

@testable import ConvEngine

/// The listened pane's queue and the tap in front of it: order, bounds, the interruption
/// watermark, and that only the listened session is queued.
@Suite struct ListenQueueTests {
    private func audio(_ milliseconds: Int, eventId: Int?, value: Int16 = 1) -> AgentAudio {
        AgentAudio(AudioChunk(samples: [Int16](repeating: value, count: 16 * milliseconds), sampleRate: 16000), eventId: eventId)
    }

    private func piece(_ audio: AgentAudio) -> ListenQueue.Piece {
        ListenQueue.Piece(audio: audio, arrivedAt: .now)
    }

    @Test func piecesComeOutInArrivalOrder() {
        var queue = ListenQueue()
        for value in 1...3 { queue.push(piece(audio(100, eventId: 1, value: Int16(value)))) }
        #expect(queue.queuedMilliseconds == 300)
        #expect((1...3).map { _ in queue.take()?.audio.chunk.samples.first } == [1, 2, 3])
        #expect(queue.take() == nil)
        #expect(queue.isEmpty)
    }

    @Test func aFullQueueDropsItsOldestAudio() {
        var queue = ListenQueue(capacityMilliseconds: 250)
        for value in 1...4 { queue.push(piece(audio(100, eventId: 1, value: Int16(value)))) }
        #expect(queue.overflowMilliseconds == 200)
        #expect(queue.queuedMilliseconds == 200)
        #expect(queue.take()?.audio.chunk.samples.first == 3)
    }

    /// The session's rule: audio at or below the watermark is stale; audio of a newer reply
    /// stays; audio without an id was sent before the interruption.
    @Test func anInterruptionDropsWhatTheWatermarkMakesStale() {
        var queue = ListenQueue()
        for id in [4, 5, nil, 6] { queue.push(piece(audio(100, eventId: id))) }
        #expect(queue.dropInterrupted(watermark: 5) == 300)
        #expect(queue.take()?.audio.eventId == 6)
        #expect(queue.isEmpty)
        queue.push(piece(audio(100, eventId: 7)))
        #expect(queue.dropInterrupted(watermark: nil) == 100)
    }

    @Test func theTapQueuesOnlyTheListenedSession() {
        let tap = ListenTap()
        tap.offer(audio(100, eventId: 1), from: 1)
        #expect(tap.next(within: .zero)?.piece == nil)
        tap.listen(to: 2)
        tap.offer(audio(100, eventId: 1, value: 7), from: 1)
        tap.offer(audio(100, eventId: 1, value: 8), from: 2)
        #expect(tap.next(within: .zero)?.piece.audio.chunk.samples.first == 8)
        #expect(tap.next(within: .zero)?.piece == nil)
    }

    @Test func listeningElsewhereDropsWhatWasQueued() {
        let tap = ListenTap()
        tap.listen(to: 1)
        let before = tap.listened.generation
        tap.offer(audio(100, eventId: 1), from: 1)
        tap.listen(to: 2)
        #expect(tap.listened.session == 2)
        #expect(tap.listened.generation == before + 1)
        #expect(tap.next(within: .zero)?.piece == nil)
    }

    /// A piece says which listening it was queued for, so a player that has not yet seen the
    /// change plays it rather than dropping it (the first piece after `L` was lost).
    @Test func aPieceCarriesTheGenerationItWasQueuedFor() {
        let tap = ListenTap()
        tap.listen(to: 1)
        tap.offer(audio(100, eventId: 1), from: 1)
        #expect(tap.next(within: .zero)?.generation == tap.listened.generation)
    }
}
