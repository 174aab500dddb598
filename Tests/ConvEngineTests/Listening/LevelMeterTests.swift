import Foundation
import Testing

@testable import ConvEngine

/// Meters against known signals: sines at known dBFS, silence, and the hold.
@Suite struct LevelMeterTests {
    private func sine(amplitude: Double, hertz: Double = 1000, rate: Int = 48000, milliseconds: Int = 100) -> AudioChunk {
        let count = rate * milliseconds / 1000
        let samples = (0..<count).map { i in Int16((amplitude * 32767 * sin(2 * .pi * hertz * Double(i) / Double(rate))).rounded()) }
        return AudioChunk(samples: samples, sampleRate: rate)
    }

    @Test(arguments: [(1.0, 0.0), (0.5, -6.02), (0.1, -20.0), (0.01, -40.0), (0.001, -60.0)])
    func aSineReadsItsLevelInDBFS(amplitude: Double, expected: Double) {
        #expect(abs(AudioLevel.dBFS(sine(amplitude: amplitude).samples) - expected) < 0.05)
    }

    @Test func silenceReadsTheFloor() {
        #expect(AudioLevel.dBFS(AudioChunk.silence(milliseconds: 100, sampleRate: 16000).samples) == AudioLevel.floor)
        #expect(AudioLevel.dBFS([]) == AudioLevel.floor)
    }

    @Test func theBarFillsFromMinus60ToFullScale() {
        #expect(AudioLevel.bar(nil, cells: 4) == "▯▯▯▯")
        #expect(AudioLevel.bar(-90, cells: 4) == "▯▯▯▯")
        #expect(AudioLevel.bar(-30, cells: 4) == "▮▮▯▯")
        #expect(AudioLevel.bar(0, cells: 4) == "▮▮▮▮")
        #expect(AudioLevel.bar(3, cells: 4) == "▮▮▮▮")
    }

    @Test func aLevelHoldsForItsChunkThenFalls() {
        let meters = LevelMeters()
        let start = ContinuousClock.now
        meters.record(sine(amplitude: 0.5, milliseconds: 500), side: .agent, session: 1, at: start)
        #expect(abs((meters.reading(session: 1, at: start + .milliseconds(400)).agent ?? 0) + 6.02) < 0.05)
        #expect(meters.reading(session: 1, at: start + .milliseconds(501)) == LevelMeters.Reading())
        #expect(meters.reading(session: 2, at: start) == LevelMeters.Reading())
    }

    /// Talk-over: both sides above the speech threshold at the same moment.
    @Test func bothSidesSpeakingIsTalkOver() {
        let meters = LevelMeters()
        let start = ContinuousClock.now
        meters.record(sine(amplitude: 0.3), side: .agent, session: 1, at: start)
        #expect(!meters.reading(session: 1, at: start).isTalkOver)
        meters.record(sine(amplitude: 0.001), side: .user, session: 1, at: start)
        #expect(!meters.reading(session: 1, at: start).isTalkOver, "-60 dBFS is not speech")
        meters.record(sine(amplitude: 0.2), side: .user, session: 1, at: start)
        #expect(meters.reading(session: 1, at: start).isTalkOver)
    }
}
