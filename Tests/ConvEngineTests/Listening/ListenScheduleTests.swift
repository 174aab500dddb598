import Testing

@testable import ConvEngine

/// The listen-in player's schedule: bursts play at speaking speed, a player that fell behind
/// skips ahead to within the bound, and restarts after an interruption.
@Suite struct ListenScheduleTests {
    private let rate = 48_000
    private let t0 = ContinuousClock.now

    private func ms(_ value: Int) -> Duration { .milliseconds(value) }

    /// Audio arriving as fast as it is spoken, written on arrival: never late, nothing skipped.
    @Test func pacedAudioWrittenOnArrivalIsOnTime() {
        var schedule = ListenSchedule()
        for piece in 0..<10 {
            let arrival = t0 + ms(100 * piece)
            schedule.begin(arrivedAt: arrival)
            #expect(schedule.skip(remaining: 4800, rate: rate, at: arrival) == 0)
            #expect(schedule.lateness(at: arrival) == .zero)
            schedule.advance(samples: 4800, rate: rate)
        }
        #expect(schedule.skippedMicroseconds == 0)
    }

    /// A reply in one burst is due piece after piece: its tenth piece, written 900 ms after the
    /// burst arrived, is on time, not 900 ms late.
    @Test func aBurstIsDueAtSpeakingSpeed() {
        var schedule = ListenSchedule()
        for piece in 0..<10 {
            schedule.begin(arrivedAt: t0)
            let written = t0 + ms(100 * piece)
            #expect(schedule.skip(remaining: 4800, rate: rate, at: written) == 0)
            #expect(schedule.lateness(at: written) == .zero)
            schedule.advance(samples: 4800, rate: rate)
        }
    }

    /// A player that started 500 ms late skips to the residual lateness and stays there: the
    /// delay is not kept for the rest of the conversation.
    @Test func aPlayerThatFellBehindSkipsAhead() {
        var schedule = ListenSchedule(boundMilliseconds: 80)
        schedule.begin(arrivedAt: t0)
        let late = t0 + ms(500)
        // 500 ms late on a 100 ms piece: all of it goes.
        #expect(schedule.skip(remaining: 4800, rate: rate, at: late) == 4800)
        // The next piece (arrived at 100 ms) is 400 ms late: 380 ms of it go, 20 ms behind.
        schedule.begin(arrivedAt: t0 + ms(100))
        #expect(schedule.skip(remaining: 48_000, rate: rate, at: late) == 380 * 48)
        #expect(schedule.lateness(at: late) == ms(schedule.residualMilliseconds))
        #expect(schedule.skippedMicroseconds == 480_000)
        // Written from there on as it is due: nothing more goes.
        schedule.advance(samples: 960, rate: rate)
        #expect(schedule.skip(remaining: 4800, rate: rate, at: late + ms(20)) == 0)
    }

    /// Within the bound nothing is skipped (the server's buffer, a slow slice).
    @Test func lateWithinTheBoundSkipsNothing() {
        var schedule = ListenSchedule(boundMilliseconds: 80)
        schedule.begin(arrivedAt: t0)
        #expect(schedule.skip(remaining: 4800, rate: rate, at: t0 + ms(80)) == 0)
        #expect(schedule.skip(remaining: 4800, rate: rate, at: t0 + ms(81)) > 0)
    }

    /// After an interruption, the next reply is due when it is played, not after the dropped
    /// reply's end (which would let the player lag that far behind without noticing).
    @Test func aRestartMakesTheNextAudioDueNow() {
        var schedule = ListenSchedule()
        schedule.begin(arrivedAt: t0)
        schedule.advance(samples: 3 * rate, rate: rate)
        schedule.restart(at: t0 + ms(1000))
        schedule.begin(arrivedAt: t0 + ms(900))
        #expect(schedule.lateness(at: t0 + ms(1000)) == .zero)
        // Without the restart it would be due at 3 s, 2 s "ahead": a stall of 2 s unseen.
        #expect(schedule.skip(remaining: 4800, rate: rate, at: t0 + ms(1200)) > 0)
    }
}
