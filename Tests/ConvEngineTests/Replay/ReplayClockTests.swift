import Testing
@testable import ConvEngine

@Suite("Replay clock")
struct ReplayClockTests {
    @Test func playsAtItsSpeedAndStopsAtTheEnd() {
        var clock = ReplayClock(total: 10_000_000)
        clock.advance(byMicros: 1_000_000)
        #expect(clock.position == 0, "a paused clock does not move")
        clock.play()
        clock.advance(byMicros: 1_000_000)
        #expect(clock.position == 1_000_000)
        clock.faster()
        clock.faster()
        #expect(clock.speed == 4)
        clock.advance(byMicros: 1_000_000)
        #expect(clock.position == 5_000_000)
        clock.advance(byMicros: 10_000_000)
        #expect(clock.position == 10_000_000)
        #expect(!clock.isPlaying)
        clock.play()
        #expect(clock.position == 0, "play at the end starts over")
        #expect(clock.isPlaying)
    }

    @Test func pauseHoldsThePosition() {
        var clock = ReplayClock(total: 10_000_000)
        clock.play()
        clock.advance(byMicros: 2_000_000)
        clock.togglePlaying()
        clock.advance(byMicros: 2_000_000)
        #expect(clock.position == 2_000_000)
        #expect(!clock.isPlaying)
    }

    @Test func speedStepsByTwoBetweenAQuarterAnd64() {
        var clock = ReplayClock(total: 1)
        for _ in 0..<20 { clock.slower() }
        #expect(clock.speed == 0.25)
        for _ in 0..<20 { clock.faster() }
        #expect(clock.speed == 64)
        clock.setSpeed(3.5)
        #expect(clock.speed == 4)
        clock.setSpeed(1000)
        #expect(clock.speed == 64)
        #expect(ReplayClock(total: 1, speed: 0.3).speed == 0.25)
        var slow = ReplayClock(total: 10_000_000, speed: 0.25)
        slow.play()
        slow.advance(byMicros: 4_000_000)
        #expect(slow.position == 1_000_000)
    }

    @Test func seeksAreClamped() {
        var clock = ReplayClock(total: 5_000_000)
        clock.seek(by: -1_000_000)
        #expect(clock.position == 0)
        clock.seek(by: 2_000_000)
        #expect(clock.position == 2_000_000)
        clock.seek(to: 99_000_000)
        #expect(clock.position == 5_000_000)
        clock.seek(by: .max)
        #expect(clock.position == 5_000_000)
        clock.seek(by: .min)
        #expect(clock.position == 0)
        #expect(clock.fraction == 0)
    }

    @Test func anEmptyTimelineNeverPlays() {
        var clock = ReplayClock(total: 0)
        clock.play()
        #expect(!clock.isPlaying)
        #expect(clock.fraction == 0)
    }
}

@Suite("Replay time map and alignment")
struct ReplayTimeMapTests {
    @Test func withoutALimitTimelineIsLogTime() {
        let map = ReplayTimeMap(logs: [(times: [1, 50, 9000], shift: 0)], idleLimit: nil)
        #expect(map.total == 9000)
        #expect(map.timeline(fromLog: 4321) == 4321)
        #expect(map.log(fromTimeline: 4321) == 4321)
    }

    @Test func silencesLongerThanTheLimitAreShortenedToIt() {
        // Events at 1 s, 1.5 s, 10 s and 11 s; limit 2 s. Gaps 0→1 and 1→1.5 and 10→11 stay;
        // 1.5→10 (8.5 s) becomes 2 s.
        let map = ReplayTimeMap(logs: [(times: [1_000_000, 1_500_000, 10_000_000, 11_000_000], shift: 0)], idleLimit: 2_000_000)
        #expect(map.total == 11_000_000 - 6_500_000)
        #expect(map.timeline(fromLog: 1_500_000) == 1_500_000)
        #expect(map.timeline(fromLog: 2_500_000) == 2_500_000)
        #expect(map.timeline(fromLog: 8_000_000) == 3_500_000, "inside the removed part: held at the gap's limit")
        #expect(map.timeline(fromLog: 10_000_000) == 3_500_000)
        #expect(map.timeline(fromLog: 10_500_000) == 4_000_000)
        #expect(map.log(fromTimeline: 3_499_999) == 3_499_999)
        #expect(map.log(fromTimeline: 3_500_000) == 10_000_000)
        #expect(map.log(fromTimeline: 4_000_000) == 10_500_000)
        for log in stride(from: Int64(0), through: 11_000_000, by: 250_000) where !(3_500_000..<10_000_000).contains(log) {
            #expect(map.log(fromTimeline: map.timeline(fromLog: log)) == log)
        }
    }

    @Test func gapsAreMeasuredAcrossAllLogs() {
        // Log A is silent from 1 s to 9 s, but log B (started 4 s later) speaks at 5 s (its 1 s).
        let map = ReplayTimeMap(
            logs: [(times: [1_000_000, 9_000_000], shift: 0), (times: [1_000_000], shift: 4_000_000)], idleLimit: 3_000_000)
        // Merged: 0, 1, 5, 9 s; the two 4 s gaps lose 1 s each (A alone would lose 5 s).
        #expect(map.total == 7_000_000)
        #expect(map.timeline(fromLog: 5_000_000) == 4_000_000)
        #expect(map.timeline(fromLog: 9_000_000) == 7_000_000)
    }

    @Test func theStartCountsAsAnEvent() {
        let map = ReplayTimeMap(logs: [(times: [60_000_000], shift: 0)], idleLimit: 1_000_000)
        #expect(map.total == 1_000_000)
    }

    @Test func alignment() {
        let starts: [Int64?] = [5_000_000, nil, 2_000_000]
        #expect(ReplayAlignment.wallClock.shifts(startedAt: starts) == [3_000_000, nil, 0])
        #expect(ReplayAlignment.start.shifts(startedAt: starts) == [0, nil, 0])
    }
}
