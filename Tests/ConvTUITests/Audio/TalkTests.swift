import ConsoleCore
import ConvEngine
import Foundation
import Testing
import TestSupport

@testable import ConvTUI

/// Push-to-talk through a real sound server into `convtui sim-server`: the test plays speech-like
/// audio into the test server's microphone (a null sink whose monitor is the default source)
/// while a session is talked into, and the simulator's VAD must hear a user turn.
@Suite(.serialized) struct TalkTests {
    /// Three 300 ms bursts of a 440 Hz tone, 150 ms apart, then 200 ms of quiet: loud enough for
    /// any VAD, short enough that the turn ends on the talk's trailing silence.
    static func bursts(rate: Int) -> [Int16] {
        let burst = (0..<(rate * 3 / 10)).map { Int16(10_000 * sin(2 * Double.pi * 440 * Double($0) / Double(rate))) }
        let gap = [Int16](repeating: 0, count: rate * 15 / 100)
        return burst + gap + burst + gap + burst + [Int16](repeating: 0, count: rate / 5)
    }

    @Test(.enabled(if: PulseTestServer.isInstalled, "no pulseaudio binary: the talk test needs a sound server"))
    func theSimulatorHearsATurnTalkedIntoItsSession() async throws {
        let server = try await PulseTestServer.start()
        let (sim, port) = try await startSimServer()
        defer { sim.signal(SIGTERM) }
        var config = SessionConfig(name: "talk", backend: .elevenlabs)
        config.url = "ws://127.0.0.1:\(port)"
        config.agentId = "echo"
        let events = Locked<[SessionEvent.Kind]>([])
        let session = try ConversationSession(
            number: 1, name: "talk", backend: "elevenlabs", observer: { event in events.withLock { $0.append(event.kind) } },
            idleAudio: config.idleAudio, makeTransport: config.transportFactory(simTicker: SimTicker()))
        session.start()
        defer { session.stop() }
        #expect(await eventually(timeout: .seconds(60)) { session.snapshot.state.phase.isLive }, "the session connects to the simulator")

        let talker = TalkCapture(
            sessions: [session], formats: [.init(sampleRate: config.audioRate, chunkMilliseconds: config.chunkMilliseconds)], server: server)
        talker.talk(TalkRequest(id: 1, pane: 0))
        defer { talker.talk(nil) }
        #expect(await eventually(timeout: .seconds(60)) { talker.reports.read().value == .started(id: 1) }, "\(String(describing: talker.reports.read().value))")
        #expect(session.sendGate.talking)
        // While talking, a WAV into the same session is refused.
        await #expect(throws: SendError.talkInProgress) { try await session.streamAudio(AudioChunk.silence(milliseconds: 100, sampleRate: 16000)) }

        try await PulseTestServer.playIntoMicrophone(Self.bursts(rate: PulseTestServer.microphoneRate), server: server)
        talker.talk(nil)

        func heard() -> (transcript: Bool, reply: Bool, sentMs: Int) {
            events.withLock { kinds in
                var sent = 0
                var transcript = false
                var reply = false
                for kind in kinds {
                    switch kind {
                    case .userAudio(_, let ms): sent += ms
                    case .userTranscript(_, let isFinal): transcript = transcript || isFinal
                    case .agentTextDone(_, let text): reply = reply || (text?.contains("I heard your audio") ?? false)
                    default: break
                    }
                }
                return (transcript, reply, sent)
            }
        }
        #expect(await eventually(timeout: .seconds(90), every: .milliseconds(50)) { heard().transcript }, "the simulator heard a user turn")
        #expect(await eventually(timeout: .seconds(90), every: .milliseconds(50)) { heard().reply }, "and answered it")
        #expect(await eventually(timeout: .seconds(30)) { !session.sendGate.isHeld }, "the talk's trailing silence went out and the gate opened")
        // The bursts (1.2 s in all) and the trailing silence (1.5 s) were sent.
        let sent = heard().sentMs
        print("talk: \(sent) ms of user audio sent")
        #expect(sent >= 2_500)
    }

    /// The same through the console on a real terminal: `T`, speech, `T` again; the simulator's
    /// answer to the talked turn shows in the pane.
    @Test(.enabled(if: PulseTestServer.isInstalled, "no pulseaudio binary: the talk test needs a sound server"))
    func tTalksIntoTheFocusedSessionOfTheConsole() async throws {
        let server = try await PulseTestServer.start()
        let (sim, port) = try await startSimServer()
        defer { sim.signal(SIGTERM) }
        let directory = makeTemporaryDirectory("convtui-talk")
        let config = directory + "/sessions.toml"
        try """
            [[session]]
            name = "el"
            backend = "elevenlabs"
            url = "ws://127.0.0.1:\(port)"
            agent_id = "echo"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let console = try PtyConsole(
            ["run", config, "--no-record"], width: 120, height: 30, environment: ["PULSE_SERVER": server, "HOME": directory])
        #expect(await console.waitFor(timeout: .seconds(60)) { $0.contains("LIVE") }, "the session is live")
        console.type("T")
        #expect(await console.waitFor(timeout: .seconds(60)) { $0.contains("talking into 1") }, "the status line says it talks")
        try await PulseTestServer.playIntoMicrophone(Self.bursts(rate: PulseTestServer.microphoneRate), server: server)
        console.type("T")
        #expect(await console.waitFor(timeout: .seconds(90)) { $0.contains("I heard your audio") }, "the simulator answered the talked turn")
        console.type("x")
        // q once the pane has ended: while it is active, q asks first.
        #expect(await console.waitFor { $0.contains("ended: stopped by operator") })
        console.type("q")
        #expect(await console.waitForExit() == 0)
    }

    @Test func withoutASoundServerTalkingSaysWhy() async throws {
        let session = try ConversationSession(number: 1, name: "a", backend: "test") { _ in SilentTransport() }
        let talker = TalkCapture(
            sessions: [session], formats: [.init(sampleRate: 16000, chunkMilliseconds: 100)], server: "unix:/nonexistent/convtui-test/native")
        talker.talk(TalkRequest(id: 7, pane: 0))
        var report: TalkReport?
        #expect(await eventually { report = talker.reports.read().value; return report != nil })
        guard case .ended(7, .noMicrophone(let reason)) = report else {
            Issue.record("expected no microphone, got \(String(describing: report))")
            return
        }
        print("no device: \(reason)")
        #expect(!session.sendGate.isHeld)
    }

    /// A transport that never connects (the no-device test never gets to send).
    final class SilentTransport: Transport {
        func run() async throws -> String {
            try await Task.sleep(for: .seconds(60))
            return "done"
        }

        func send(_ message: OutgoingMessage) async throws {}
        func close() {}
    }
}
