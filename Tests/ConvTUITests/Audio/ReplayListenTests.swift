import ConsoleCore
import ConvEngine
import Foundation
import Testing
import TestSupport

@testable import ConvTUI

/// Listening in to a replay (`L` in `convtui replay`) through a real sound server: a log with
/// saved agent audio is replayed on the real clock, the test's null sink is recorded, and the
/// saved audio is looked for in the recording, through a pause and a seek.
@Suite(.serialized) struct ReplayListenTests {
    /// A log whose agent sends 1 s of noise in 100 ms pieces from 2 s, saved as `--save-audio`
    /// saves it; returns the log and the noise.
    private static func recordedReply() throws -> (log: String, reply: AudioChunk) {
        let directory = makeTemporaryDirectory("convtui-replay-listen")
        let path = "\(directory)/20261203-120000-01-el.jsonl"
        let writer = try SessionLogWriter(
            path: path, header: SessionLogHeader(sessionNumber: 1, sessionName: "el", backend: "elevenlabs", startedAtMicros: 1_000_000))
        let reply = ListenInTests.noise(seconds: 1, rate: 16_000)
        try writer.append(SessionEvent(offset: 0, run: 1, kind: .runStarted(backend: "elevenlabs")))
        for piece in 0..<10 {
            try writer.append(SessionEvent(offset: 2_000_000 + Int64(piece) * 100_000, run: 1, kind: .agentAudio(eventId: 1, bytes: 3200, durationMs: 100)))
        }
        try writer.append(SessionEvent(offset: 8_000_000, run: 1, kind: .ended(reason: "stopped")))
        writer.close()
        let recorder = AudioFileRecorder(path: SavedAudioFiles(logPath: path).agent)
        recorder.append(reply)
        recorder.close()
        return (path, reply)
    }

    /// How well 10 ms of `expected` from `at` seconds match the recording where a reply
    /// starting at sample `start` of the recording puts them.
    private static func match(_ expected: [Int16], at seconds: Double, in recorded: [Int16], start: Int) -> Double {
        let rate = SinkRecording.sampleRate
        let from = Int(seconds * Double(rate))
        guard start + from + rate / 100 <= recorded.count, start + from >= 0 else { return 0 }
        return AudioMatch.correlation(Array(recorded[(start + from)..<(start + from + rate / 100)]), Array(expected[from..<(from + rate / 100)]))
    }

    /// Where the reply starts in `recorded[range]`, found by its 10 ms from `at` seconds
    /// (within half a second of the range's first sound), and how well that matched.
    private static func locate(_ expected: [Int16], at seconds: Double, in recorded: [Int16], _ range: Range<Int>) -> (start: Int, correlation: Double) {
        let rate = SinkRecording.sampleRate
        let from = Int(seconds * Double(rate))
        let part = Array(recorded[max(0, range.lowerBound)..<min(recorded.count, range.upperBound)])
        guard let found = AudioMatch.bestLag(of: Array(expected[from..<(from + rate / 100)]), in: part, window: rate / 2) else { return (0, 0) }
        return (found.lag - from + range.lowerBound, found.correlation)
    }

    @Test(
        .enabled(if: PulseTestServer.isInstalled, "no pulseaudio binary: the listen-in tests need a sound server"),
        .enabled(if: PulseTestServer.recordingTestsAsked, PulseTestServer.recordingTestsSkipped))
    func theSavedReplyIsHeardInStepWithTheReplayThroughAPauseAndASeek() async throws {
        let server = try await PulseTestServer.start()
        let (log, reply) = try Self.recordedReply()
        let player = ReplayPlayer(paths: [log], alignment: .start, prepareCheckpoints: false)
        let sound = try #require(ReplaySound(player: player, audio: [ReplayAudio.load(logPath: log)]))
        let driver = ReplayDriver(player: player, alignment: .start, sound: sound)
        let sink = try await PrivateSink(server: server)
        defer { sink.remove() }
        let recording = try SinkRecording(server: server, sink: sink.name)
        let listener = ReplayListenPlayer(sound: sound, server: server, device: sink.name)
        listener.start()
        defer { listener.stop() }
        #expect(await eventually(timeout: .seconds(10)) { listener.unavailableReason == nil })
        let report: @Sendable (String) -> Void = { _ in }
        driver.perform(.togglePlay, report: report)
        // The render loop's ticks, on the real clock.
        let ticking = Task {
            while !Task.isCancelled {
                _ = driver.tick()
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        defer { ticking.cancel() }
        try await Task.sleep(for: PrivateSink.settling)
        listener.listen(to: 0, hearing: .agent)
        // From 1.8 s: the reply starts 0.2 s later. Paused about half way through it for 1 s,
        // played on to its end, then a seek back to its middle plays its second half again.
        driver.perform(.goTo(micros: 1_800_000), report: report)
        driver.perform(.togglePlay, report: report)
        try await Task.sleep(for: .milliseconds(700))
        driver.perform(.togglePlay, report: report)
        try await Task.sleep(for: .milliseconds(1000))
        driver.perform(.togglePlay, report: report)
        try await Task.sleep(for: .milliseconds(800))
        driver.perform(.goTo(micros: 2_500_000), report: report)
        try await Task.sleep(for: .milliseconds(800))
        driver.perform(.togglePlay, report: report)
        try await Task.sleep(for: .milliseconds(300))
        let recorded = await recording.stop()
        try recorded.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: "/tmp/replay-rec.raw"))
        try Resampler.convert(reply, to: 48000).samples.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: "/tmp/replay-exp.raw"))

        let rate = SinkRecording.sampleRate
        let expected = Resampler.convert(reply, to: rate).samples
        // Before the pause: the reply's first 400 ms, back to back as saved.
        let (start, found) = Self.locate(expected, at: 0.1, in: recorded, 0..<recorded.count)
        let first = [0.2, 0.3, 0.4].map { Self.match(expected, at: $0, in: recorded, start: start) }
        print("replay listen: the reply found with correlation \(found), then \(first)")
        #expect(found > 0.9, "the reply plays as saved")
        #expect(first.allSatisfy { $0 > 0.9 }, "its pieces play back to back, as saved")
        /// The sample `hundredths` of a second after the reply's start in the recording.
        func at(_ hundredths: Int) -> Int { min(recorded.count, start + rate * hundredths / 100) }
        // The pause (about 0.5 s to 1.5 s into the reply's sound): silence.
        let paused = recorded[at(65)..<at(135)]
        print("replay listen: \(paused.filter { $0 != 0 }.count) sounding samples of \(paused.count) while paused")
        #expect(paused.allSatisfy { $0 == 0 }, "a paused replay is silent")
        // Playing on continues the reply where it stopped; a seek to its middle plays its second
        // half again.
        for (what, range) in [("after the pause", at(135)..<at(205)), ("after the seek", at(215)..<recorded.count)] {
            let (later, correlation) = Self.locate(expected, at: 0.7, in: recorded, range)
            let next = Self.match(expected, at: 0.8, in: recorded, start: later)
            print("replay listen: \(what), the reply's 0.7 s found with correlation \(correlation), its 0.8 s \(next)")
            #expect(correlation > 0.9 && next > 0.9, "\(what), the reply is heard from where the replay is")
        }
    }

    @Test func withoutASoundServerReplayListeningSaysWhy() async throws {
        let (log, _) = try Self.recordedReply()
        let player = ReplayPlayer(paths: [log], prepareCheckpoints: false)
        let sound = try #require(ReplaySound(player: player, audio: [ReplayAudio.load(logPath: log)]))
        let listener = ReplayListenPlayer(sound: sound, server: "unix:/nonexistent/convtui-test/native")
        listener.start()
        defer { listener.stop() }
        #expect(await eventually { listener.unavailableReason?.hasPrefix("no sound server (") == true })
    }
}
