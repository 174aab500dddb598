import Testing

@testable import ConvEngine

/// One side's track of the listen-in player: slices across pieces, lateness counted once per
/// piece, interruptions, and the mix of both sides.
@Suite struct ListenTrackTests {
    private let rate = 48_000
    private let t0 = ContinuousClock.now

    private func piece(_ samples: [Int16], eventId: Int?, side: LevelMeters.Side = .agent, at instant: ContinuousClock.Instant) -> (ListenQueue.Piece, [Int16]) {
        (ListenQueue.Piece(audio: AgentAudio(AudioChunk(samples: samples, sampleRate: rate), eventId: eventId), arrivedAt: instant, side: side), samples)
    }

    /// Slices cross piece boundaries in order; each piece's lateness is counted when its first
    /// sample is taken.
    @Test func slicesCrossPiecesInOrder() {
        var track = ListenTrack(capacity: rate * 60)
        let (a, aSamples) = piece([Int16](repeating: 1, count: 600), eventId: 1, at: t0)
        let (b, bSamples) = piece([Int16](repeating: 2, count: 600), eventId: 1, at: t0)
        track.add(a, samples: aSamples)
        track.add(b, samples: bSamples)
        let first = track.take(960, rate: rate, at: t0)
        #expect(first.samples == [Int16](repeating: 1, count: 600) + [Int16](repeating: 2, count: 360))
        #expect(first.lateness == [.zero, .zero])
        let second = track.take(960, rate: rate, at: t0 + .milliseconds(20))
        #expect(second.samples == [Int16](repeating: 2, count: 240))
        #expect(second.lateness.isEmpty, "b's lateness was counted once")
        #expect(track.isEmpty)
    }

    /// An interruption drops the stale agent audio, keeps a newer reply's, and the schedule
    /// starts again: the newer reply is not skipped for being "late" behind the dropped one.
    @Test func anInterruptionDropsStaleAudioAndRestarts() {
        var track = ListenTrack(capacity: rate * 60)
        let (old, oldSamples) = piece([Int16](repeating: 1, count: rate), eventId: 3, at: t0)
        let (new, newSamples) = piece([Int16](repeating: 2, count: 960), eventId: 4, at: t0)
        track.add(old, samples: oldSamples)
        track.add(new, samples: newSamples)
        _ = track.take(960, rate: rate, at: t0)
        let dropped = track.dropInterrupted(watermark: 3, at: t0 + .milliseconds(500))
        #expect(dropped)
        let next = track.take(960, rate: rate, at: t0 + .milliseconds(500))
        #expect(next.samples == [Int16](repeating: 2, count: 960))
    }

    /// Both sides at once: the sum, clipped, as long as the longer.
    @Test func theMixAddsBothSides() {
        #expect(ListenTrack.mix([1, 2, 3], [10, 20]) == [11, 22, 3])
        #expect(ListenTrack.mix([], [5]) == [5])
        #expect(ListenTrack.mix([30_000], [30_000]) == [Int16.max])
    }

    /// The tap keeps only the chosen sides of the listened session; an interruption does not
    /// drop the user's audio.
    @Test func theTapKeepsTheChosenSides() {
        let tap = ListenTap()
        let chunk = AgentAudio(AudioChunk(samples: [1], sampleRate: rate), eventId: nil)
        tap.listen(to: 1, hearing: .agent)
        tap.offer(chunk, from: 1, side: .user)
        #expect(tap.next(within: .zero)?.piece == nil, "the user is not heard when only the agent is")
        tap.listen(to: 1, hearing: .both)
        tap.offer(chunk, from: 1, side: .user)
        tap.offer(AgentAudio(AudioChunk(samples: [2], sampleRate: rate), eventId: 1), from: 1, side: .agent)
        tap.dropInterrupted(watermark: 1)
        #expect(tap.next(within: .zero)?.piece.side == .user, "the user's audio stays at an interruption")
        #expect(tap.next(within: .zero)?.piece == nil, "the stale agent audio went")
    }
}
