import ConvEngine
import Testing

@testable import ConsoleCore

/// Push-to-talk in the console (`T`): what the key does in each state, what the sound side's
/// reports do, focus moves, and a console or machine that cannot talk.
@Suite struct TalkStateTests {
    private let model = ConsoleFixtures.model(panes: 4, width: 120, height: 40)

    /// Feeds inputs one after another; returns the final model.
    private func feed(_ inputs: [ConsoleInput], from start: AppModel? = nil, context: ConsoleContext = ConsoleContext()) -> AppModel {
        inputs.reduce(start ?? model) { current, input in
            let (next, commands) = ConsoleUpdate.update(current, input, context: context, keymap: .live)
            #expect(commands.isEmpty, "talking issues no session command: the sound side follows the model")
            return next
        }
    }

    private let t = ConsoleInput.key(.character("T"))

    @Test func tOpensTheMicrophoneForTheFocusedPaneThenTalksAndAgainStops() {
        let opening = feed([.key(.character("2")), t])
        #expect(opening.talk.phase == .opening)
        #expect(opening.talk.request == TalkRequest(id: 1, pane: 1))
        #expect(opening.notice == "T: opening the microphone for pane 2…")
        let talking = feed([.talk(.started(id: 1))], from: opening)
        #expect(talking.talk.phase == .talking)
        #expect(talking.notice == "talking into pane 2 · T stops")
        #expect(talking.talk.talkingPane == 1)
        #expect(opening.talk.talkingPane == nil, "not before the session took the stream")
        let stopped = feed([t], from: talking)
        #expect(stopped.talk.phase == .idle)
        #expect(stopped.talk.request == nil)
        #expect(stopped.notice == "talking into pane 2 stopped")
        // The next talk is a new one: reports about the last are stale.
        let again = feed([t, .talk(.started(id: 1))], from: stopped)
        #expect(again.talk.request == TalkRequest(id: 2, pane: 1))
        #expect(again.talk.phase == .opening)
    }

    @Test func tWhileOpeningStopsToo() {
        let stopped = feed([t, t])
        #expect(stopped.talk.request == nil)
        #expect(feed([.talk(.started(id: 1))], from: stopped).talk.phase == .idle, "a late start of a stopped talk changes nothing")
    }

    /// A WAV streaming into the session: the session's gate refuses the talk; the console
    /// says so and goes back to idle.
    @Test func aTalkIntoASessionStreamingAWAVIsRefusedWithTheReason() {
        let refused = feed([t, .talk(.ended(id: 1, .send(.streamInProgress)))])
        #expect(refused.talk.phase == .idle)
        #expect(refused.talk.request == nil)
        #expect(refused.notice == "T: pane 1 is streaming audio (a WAV); talk when it has ended")
        let notLive = feed([t, .talk(.ended(id: 2, .send(.notLive(phase: "idle"))))], from: refused)
        #expect(notLive.notice == "T: pane 1 is not live (idle)")
    }

    @Test func aTalkThatFailsWhileTalkingSaysWhy() {
        let talking = feed([t, .talk(.started(id: 1))])
        let failed = feed([.talk(.ended(id: 1, .send(.transport("connection reset"))))], from: talking)
        #expect(failed.talk.phase == .idle)
        #expect(failed.notice == "talking stopped: pane 1: send failed: connection reset")
        let stopped = feed([t, .talk(.started(id: 2)), .talk(.ended(id: 2, .send(.cancelled)))], from: failed)
        #expect(stopped.notice == "talking stopped: pane 1 stopped")
        let serverGone = feed([t, .talk(.started(id: 3)), .talk(.ended(id: 3, .microphoneStopped("Connection terminated")))], from: stopped)
        #expect(serverGone.notice == "talking stopped: the microphone stopped (Connection terminated)")
    }

    @Test func aReportAboutAnEarlierTalkChangesNothing() {
        let talking = feed([t, .talk(.started(id: 1)), t, t, .talk(.started(id: 2))])
        #expect(talking.talk.request == TalkRequest(id: 2, pane: 0))
        let after = feed([.talk(.ended(id: 1, .send(.cancelled)))], from: talking)
        #expect(after.talk == talking.talk)
        #expect(after.notice == talking.notice)
    }

    /// Talking does not follow the focus: leaving the pane ends the talk, whatever moved it.
    @Test func movingTheFocusAwayEndsTheTalk() {
        let talking = feed([t, .talk(.started(id: 1))])
        let moved = feed([.key(.tab)], from: talking)
        #expect(moved.focus == 1)
        #expect(moved.talk.request == nil)
        #expect(moved.notice == "talking into pane 1 stopped: the focus moved")
        // The driver moving the focus (a replay step, a refusal) ends it too.
        let pointed = feed([.focus(3)], from: talking)
        #expect(pointed.talk.request == nil)
        // Keys that keep the focus leave the talk alone.
        let zoomed = feed([.key(.character("z")), .key(.character("z"))], from: talking)
        #expect(zoomed.talk == talking.talk)
    }

    /// No sound server or microphone: the microphone cannot open; `T` says why, nothing else changes.
    @Test func withoutASoundServerTOnlySaysWhy() {
        let refused = feed([t, .talk(.ended(id: 1, .noMicrophone("Connection refused")))])
        #expect(refused.notice == "T: no sound server or microphone (Connection refused)")
        var unchanged = refused
        unchanged.notice = model.notice
        unchanged.talk = model.talk
        #expect(unchanged == model)
        #expect(refused.talk.request == nil)
    }

    @Test func aConsoleThatSendsNoAudioSaysSo() {
        let next = feed([t], context: ConsoleContext(talkUnavailable: "this console sends no audio"))
        #expect(next.notice == "T: this console sends no audio")
        #expect(next.talk.request == nil)
    }

    @Test func theKeyIsListedInHelp() {
        #expect(Keymap<LiveAction>.live.helpLines.contains { $0.label == "T" && $0.help.contains("push-to-talk into the focused session") })
    }
}
