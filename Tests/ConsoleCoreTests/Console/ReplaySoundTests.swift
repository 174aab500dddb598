import ConvEngine
import Foundation
import Testing

@testable import ConsoleCore
import TestSupport

/// A replay of logs recorded with `--save-audio`: meters in the pane headers and where the
/// listened pane's sound stands, on a clock the test moves.
@Suite struct ReplaySoundTests {
    /// A log of one reply (1 s of agent audio from 2 s, in 100 ms pieces) and a user piece at
    /// 0.5 s, with the two WAV files `--save-audio` writes beside it; and a log without audio.
    private func recordedLogs() throws -> (withAudio: String, without: String) {
        let directory = makeTemporaryDirectory("convtui-replay-sound")
        func write(_ name: String, _ events: [SessionEvent.Kind]) throws -> String {
            let path = "\(directory)/\(name).jsonl"
            let writer = try SessionLogWriter(
                path: path, header: SessionLogHeader(sessionNumber: 1, sessionName: name, backend: "elevenlabs", startedAtMicros: 1_000_000))
            for (i, kind) in events.enumerated() {
                let offset: Int64 = switch kind {
                case .userAudio: 500_000
                case .agentAudio: 2_000_000 + Int64(i - 2) * 100_000
                default: 0
                }
                try writer.append(SessionEvent(offset: kind == .ended(reason: "stopped") ? 4_000_000 : offset, run: 1, kind: kind))
            }
            writer.close()
            return path
        }
        let pieces = Array(repeating: SessionEvent.Kind.agentAudio(eventId: 1, bytes: 3200, durationMs: 100), count: 10)
        let withAudio = try write("el", [.runStarted(backend: "elevenlabs"), .userAudio(bytes: 3200, durationMs: 100)] + pieces + [.ended(reason: "stopped")])
        let files = SavedAudioFiles(logPath: withAudio)
        let agent = AudioFileRecorder(path: files.agent)
        agent.append(AudioChunk(samples: Array(repeating: 16384, count: 16_000), sampleRate: 16_000))
        let user = AudioFileRecorder(path: files.user)
        user.append(AudioChunk(samples: Array(repeating: 4000, count: 1600), sampleRate: 16_000))
        agent.close()
        user.close()
        let without = try write("plain", [.runStarted(backend: "sim"), .ended(reason: "stopped")])
        return (withAudio, without)
    }

    private func driver(_ paths: [String], clock: ManualClock) -> (ReplayDriver, ReplaySound?) {
        let player = ReplayPlayer(paths: paths, alignment: .start, prepareCheckpoints: false)
        let sound = ReplaySound(player: player, audio: paths.map { ReplayAudio.load(logPath: $0) }, clock: ElapsedClock(clock))
        return (ReplayDriver(player: player, alignment: .start, sound: sound, clock: clock), sound)
    }

    @Test func logsWithoutSavedAudioHaveNoMetersAndLSaysWhy() throws {
        let logs = try recordedLogs()
        let (driver, sound) = driver([logs.without], clock: ManualClock())
        #expect(sound == nil)
        #expect(driver.levelReadings() == nil)
        #expect(driver.listening == nil)
        #expect(driver.noAudioReason == "these logs have no saved audio (record them with --save-audio)")
        var model = AppModel(paneCount: 1, size: ScreenSize(width: 80, height: 24))
        let context = ConsoleContext(listenUnavailable: driver.noAudioReason)
        model = ConsoleUpdate.update(model, .key(.character("L")), context: context, keymap: .replay).0
        #expect(!model.isListening)
        #expect(model.notice?.contains("no saved audio") == true)
    }

    @Test func metersFollowTheReplayClock() throws {
        let logs = try recordedLogs()
        let (driver, _) = driver([logs.withAudio, logs.without], clock: ManualClock())
        let report: @Sendable (String) -> Void = { _ in }
        // Only the pane with saved audio has meters.
        #expect(driver.levelReadings()?.map { $0 != nil } == [true, false])
        #expect(driver.levelReadings()?[0] == LevelMeters.Reading())
        driver.perform(.goTo(micros: 600_000), report: report)
        let user = try #require(driver.levelReadings()?[0]?.user)
        #expect(abs(user - -15.28) < 0.05, "a constant 4000 reads -15.28 dBFS")
        driver.perform(.goTo(micros: 2_500_000), report: report)
        let reading = try #require(driver.levelReadings()?[0])
        #expect(reading.user == nil)
        #expect(abs((reading.agent ?? 0) - -3.01) < 0.05, "a constant half scale reads -3.01 dBFS on the AES17 scale")
        // A frozen pane's meters are empty.
        driver.perform(.freeze(pane: 0), report: report)
        #expect(driver.levelReadings()?[0] == LevelMeters.Reading())
    }

    @Test func theSoundRunsOnWithTheClockAndKnowsEveryJump() throws {
        let logs = try recordedLogs()
        let clock = ManualClock()
        let (driver, made) = driver([logs.withAudio], clock: clock)
        let sound = try #require(made)
        let report: @Sendable (String) -> Void = { _ in }
        let start = sound.time(pane: 0, at: sound.clock.elapsed)
        #expect(start.offset == 0 && start.isMoving && start.speed == 1)
        // Between ticks the sound runs the clock on by itself; a tick does not count as a jump.
        clock.advance(by: .milliseconds(300))
        #expect(sound.time(pane: 0, at: sound.clock.elapsed).offset == 300_000)
        #expect(driver.tick())
        #expect(sound.time(pane: 0, at: sound.clock.elapsed) == ReplaySound.PaneTime(offset: 300_000, speed: 1, isMoving: true, jumps: start.jumps))
        // Faster: no jump, the clock runs twice as fast from here.
        driver.perform(.faster, report: report)
        clock.advance(by: .milliseconds(100))
        let faster = sound.time(pane: 0, at: sound.clock.elapsed)
        #expect(faster.offset == 500_000 && faster.speed == 2 && faster.jumps == start.jumps)
        #expect(faster.isHeard, "2× is heard, an octave up")
        driver.perform(.faster, report: report)
        #expect(!sound.time(pane: 0, at: sound.clock.elapsed).isHeard, "4× is silent")
        driver.perform(.slower, report: report)
        // A seek is a jump; a pause stops the sound; a frozen pane is silent too.
        driver.perform(.goTo(micros: 2_000_000), report: report)
        let sought = sound.time(pane: 0, at: sound.clock.elapsed)
        #expect(sought.offset == 2_000_000 && sought.jumps == start.jumps + 1)
        driver.perform(.togglePlay, report: report)
        #expect(!sound.time(pane: 0, at: sound.clock.elapsed).isMoving)
        driver.perform(.togglePlay, report: report)
        driver.perform(.freeze(pane: 0), report: report)
        #expect(!sound.time(pane: 0, at: sound.clock.elapsed).isMoving)
        // At the end of the timeline the sound stops with the clock.
        driver.perform(.resume(pane: 0), report: report)
        clock.advance(by: .seconds(10))
        let end = sound.time(pane: 0, at: sound.clock.elapsed)
        #expect(end.offset == 4_000_000 && !end.isMoving)
    }

    @Test func theReplayKeysListenAndChooseWhoIsHeard() {
        var model = AppModel(paneCount: 2, size: ScreenSize(width: 80, height: 24))
        model = ConsoleUpdate.update(model, .key(.character("L")), context: ConsoleContext(), keymap: .replay).0
        #expect(model.isListening)
        #expect(model.notice == "listening to pane 1 (agent) · L stops")
        model = ConsoleUpdate.update(model, .key(.character("H")), context: ConsoleContext(), keymap: .replay).0
        #expect(model.listenSource == .user)
    }
}
