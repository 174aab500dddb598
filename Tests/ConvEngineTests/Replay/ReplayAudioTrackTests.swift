import Foundation
import Testing

@testable import ConvEngine

/// Saved audio put back on its log's time: what a replay plays and meters.
@Suite struct ReplayAudioTrackTests {
    /// 16 kHz, as ElevenLabs' `pcm_16000`: 100 ms is 1,600 samples, 3,200 bytes.
    static let rate = 16_000

    /// Samples whose value says where they are in the file (sample i holds i % 30,000).
    static func numbered(_ count: Int) -> [Int16] { (0..<count).map { Int16($0 % 30_000) } }

    static func audio(_ ms: Int64, id: Int? = 1, length: Int = 100) -> ReplayAudioTrack.Entry {
        .audio(offset: ms * 1000, eventId: id, bytes: rate * length / 1000 * 2, ms: length)
    }

    @Test func piecesAreHeardWhenTheyArrivedOrWhenTheOneBeforeEnds() {
        // Three pieces in one burst at 1 s (as ElevenLabs sends a reply), one more at 5 s.
        let entries = [Self.audio(1000), Self.audio(1000), Self.audio(1000), Self.audio(5000)]
        let track = ReplayAudioTrack(entries: entries, samples: Self.numbered(6400), sampleRate: Self.rate, dropsStale: true)
        #expect(track.pieces.map(\.start) == [1_000_000, 1_100_000, 1_200_000, 5_000_000])
        #expect(track.pieces.map(\.end) == [1_100_000, 1_200_000, 1_300_000, 5_100_000])
        #expect(track.pieces.map(\.firstSample) == [0, 1600, 3200, 4800])
        #expect(track.pieces.allSatisfy { $0.sampleCount == 1600 })
    }

    @Test func anInterruptionStopsStaleAudioAndANewerReplyMovesUp() {
        // Reply 1: 5 pieces at 1 s (heard until 1.5 s); reply 2's first piece queued behind it at
        // 1.05 s; the caller barges in at 1.15 s with watermark 1: reply 1 stops there, its
        // queued pieces are never heard, reply 2 plays from 1.15 s.
        let entries = (0..<5).map { _ in Self.audio(1000) } + [Self.audio(1050, id: 2), .interruption(offset: 1_150_000, eventId: 1)]
        let track = ReplayAudioTrack(entries: entries, samples: Self.numbered(9600), sampleRate: Self.rate, dropsStale: true)
        #expect(track.pieces.map(\.start) == [1_000_000, 1_100_000, 1_150_000])
        #expect(track.pieces.map(\.end) == [1_100_000, 1_150_000, 1_250_000])
        #expect(track.pieces[1].sampleCount == 800, "half of the second piece was heard")
        #expect(track.pieces[2].firstSample == 8000, "reply 2 is the file's sixth piece")
    }

    @Test func staleAudioThatArrivesLaterIsNotInTheFileAndANewRunForgetsTheWatermark() {
        // Audio of reply 1 after its interruption was dropped before it was saved: the file holds
        // pieces 1, 2 (reply 2) and, after a reconnect, a reply numbered 1 again.
        let entries: [ReplayAudioTrack.Entry] = [
            Self.audio(1000), .interruption(offset: 1_050_000, eventId: 1), Self.audio(1060), Self.audio(2000, id: 2), .runStarted,
            Self.audio(9000, id: 1),
        ]
        let track = ReplayAudioTrack(entries: entries, samples: Self.numbered(4800), sampleRate: Self.rate, dropsStale: true)
        #expect(track.pieces.map(\.start) == [1_000_000, 2_000_000, 9_000_000])
        #expect(track.pieces.map(\.firstSample) == [0, 1600, 3200])
        #expect(track.pieces[0].end == 1_050_000)
    }

    @Test func theUserSideKeepsEverythingAnInterruptionWouldDrop() {
        let entries: [ReplayAudioTrack.Entry] = [Self.audio(1000, id: nil), .interruption(offset: 1_050_000, eventId: 1), Self.audio(1100, id: nil)]
        let track = ReplayAudioTrack(entries: entries, samples: Self.numbered(3200), sampleRate: Self.rate, dropsStale: false)
        #expect(track.pieces.map(\.end) == [1_100_000, 1_200_000])
    }

    @Test func aFileCutShortKeepsItsPiecesInPlace() {
        // The logged ms say 4 pieces of 100 ms; the file holds two and a half (a write failed).
        let entries = (0..<4).map { Self.audio(1000 + Int64($0) * 100) }
        let track = ReplayAudioTrack(entries: entries, samples: Self.numbered(4000), sampleRate: Self.rate, dropsStale: true)
        #expect(track.pieces.map(\.firstSample) == [0, 1600, 3200])
        #expect(track.pieces.map(\.sampleCount) == [1600, 1600, 800])
    }

    @Test func roundedDownMillisecondsStillMapTheWholeFile() {
        // 22.05 kHz pieces of 2,205 samples: 4,410 bytes, logged as 100 ms; the file's own ratio
        // places every piece exactly.
        let entries = (0..<3).map { ReplayAudioTrack.Entry.audio(offset: Int64($0) * 100_000, eventId: 1, bytes: 4410, ms: 100) }
        let track = ReplayAudioTrack(entries: entries, samples: Self.numbered(6615), sampleRate: 22_050, dropsStale: true)
        #expect(track.pieces.map(\.firstSample) == [0, 2205, 4410])
    }

    @Test func hostileSizesAndTimesDoNotTrap() {
        // A log may say anything: sizes and offsets that would overflow a sum are placed, not trapped on.
        let entries: [ReplayAudioTrack.Entry] = [
            .audio(offset: .max - 10, eventId: 1, bytes: .max, ms: .max), .audio(offset: .max - 5, eventId: 1, bytes: .max, ms: -1),
            Self.audio(1000),
        ]
        let track = ReplayAudioTrack(entries: entries, samples: Self.numbered(1600), sampleRate: Self.rate, dropsStale: true)
        #expect(track.pieces.allSatisfy { $0.end >= $0.start && $0.firstSample + $0.sampleCount <= 1600 })
    }

    @Test func renderingAtSpeedOneGivesTheFileAndSilenceBetween() {
        let samples = Self.numbered(3200)
        let track = ReplayAudioTrack(entries: [Self.audio(1000), Self.audio(1300)], samples: samples, sampleRate: Self.rate, dropsStale: true)
        // From 50 ms into the first piece, 300 ms: its last 50 ms, 200 ms of silence, the next one's first 50 ms.
        let out = track.render(samples, from: 1_050_000, count: 4800, rate: Self.rate)
        #expect(Array(out[0..<800]) == Array(samples[800..<1600]))
        #expect(out[800..<4000].allSatisfy { $0 == 0 })
        #expect(Array(out[4000..<4800]) == Array(samples[1600..<2400]))
    }

    @Test func renderingFasterTakesMoreOfTheFilePerSample() {
        let samples = Self.numbered(1600)
        let track = ReplayAudioTrack(entries: [Self.audio(0)], samples: samples, sampleRate: Self.rate, dropsStale: true)
        let out = track.render(samples, from: 0, count: 400, rate: Self.rate, speed: 2)
        #expect(out == (0..<400).map { samples[2 * $0] })
        // At 48 kHz and speed 1, each file sample is met three times (interpolated between).
        let up = track.render(samples, from: 0, count: 6, rate: 48_000)
        #expect(up == [0, 0, 1, 1, 1, 2])
    }

    @Test func levelsHoldAsTheLiveMeterHeldThem() {
        // A half-scale sine reads -6.02 dBFS (AES17); a 100 ms piece holds for 300 ms.
        let sine = (0..<1600).map { Int16(16384 * sin(Double($0) * 2 * .pi * 440 / Double(Self.rate))) }
        let track = ReplayAudioTrack(entries: [Self.audio(1000)], samples: sine, sampleRate: Self.rate, dropsStale: true)
        #expect(track.level(at: 999_999) == nil)
        let level = try! #require(track.level(at: 1_000_000))
        #expect(abs(level - -6.02) < 0.05)
        #expect(track.level(at: 1_299_999) == level)
        #expect(track.level(at: 1_300_000) == nil)
    }
}

/// The files `--save-audio` writes, found from a log's path and read back.
@Suite struct ReplayAudioTests {
    @Test func filesSitBesideTheirLog() {
        let files = SavedAudioFiles(logPath: "/logs/20261203-101500-01-el.jsonl")
        #expect(files.agent == "/logs/20261203-101500-01-el.agent.wav")
        #expect(files.user == "/logs/20261203-101500-01-el.user.wav")
    }

    @Test func aLogWithSavedAudioIsReadBack() throws {
        let logs = TestLogs()
        let path = logs.log(
            "el",
            events: [
                SessionEvent(offset: 0, run: 1, kind: .runStarted(backend: "elevenlabs")),
                SessionEvent(offset: 500_000, run: 1, kind: .userAudio(bytes: 3200, durationMs: 100)),
                SessionEvent(offset: 1_000_000, run: 1, kind: .agentAudio(eventId: 1, bytes: 3200, durationMs: 100)),
            ])
        let files = SavedAudioFiles(logPath: path)
        let agent = AudioFileRecorder(path: files.agent)
        agent.append(AudioChunk(samples: ReplayAudioTrackTests.numbered(1600), sampleRate: 16_000))
        agent.close()
        let user = AudioFileRecorder()
        user.place(at: files.user)
        user.append(AudioChunk(samples: Array(repeating: 8000, count: 1600), sampleRate: 16_000))
        user.close()

        let audio = try #require(ReplayAudio.load(logPath: path))
        #expect(audio.problems.isEmpty)
        #expect(audio.agent?.pieces.map(\.start) == [1_000_000])
        #expect(audio.user?.pieces.map(\.start) == [500_000])
        #expect(try audio.samples(of: .agent) == ReplayAudioTrackTests.numbered(1600))
        // The user's constant 8000 reads -9.24 dBFS for 300 ms from 0.5 s; the agent's from 1 s.
        let early = audio.levels(at: 600_000)
        #expect(early.agent == nil)
        #expect(abs((early.user ?? 0) - -9.24) < 0.05)
        let later = audio.levels(at: 1_050_000)
        #expect(later.user == nil && later.agent != nil)
    }

    @Test func aLogWithoutSavedAudioHasNone() {
        let logs = TestLogs()
        let path = logs.log("plain", events: [SessionEvent(offset: 0, run: 1, kind: .runStarted(backend: "sim"))])
        #expect(ReplayAudio.load(logPath: path) == nil)
    }

    @Test func aDamagedFileIsAProblemNotAFailure() throws {
        let logs = TestLogs()
        let path = logs.log("bad", events: [SessionEvent(offset: 0, run: 1, kind: .agentAudio(eventId: 1, bytes: 3200, durationMs: 100))])
        _ = FileManager.default.createFile(atPath: SavedAudioFiles(logPath: path).agent, contents: Data("not a wav".utf8))
        let audio = try #require(ReplayAudio.load(logPath: path))
        #expect(audio.agent == nil)
        #expect(audio.problems == ["agent audio: not a RIFF/WAVE file"])
    }
}
