import ConsoleCore
import ConvEngine
import Foundation

/// Push-to-talk's sound side (`T`): captures the sound server's default source (the
/// microphone) into the session talked into.
///
/// Each talk has a thread of its own (`convtui-talk`) that opens a PulseAudio record stream at
/// the session's input rate (mono PCM16; the server converts from the device's format), reads
/// it in the session's chunk size and hands each chunk to the session's ``LiveAudio``, whose
/// own task sends it: the capture never waits on the network, and no NIO thread or session
/// lock waits on the capture. Stopping a talk ends the stream, so the session sends its
/// trailing silence and ends the turn, as after a WAV.
final class TalkCapture: TalkControl {
    /// What a session's microphone audio is captured as.
    struct Format: Sendable, Equatable {
        /// The rate the session's backend takes user audio at (``SessionConfig/audioRate``).
        let sampleRate: Int
        /// How much audio each chunk sent holds (the session's `chunk_ms`, as for a WAV).
        let chunkMilliseconds: Int
    }

    /// The record stream's fragment: how often the server hands over what it captured.
    static var fragmentMilliseconds: Int { 20 }

    let reports = SnapshotChannel<TalkReport?>(nil)
    private let sessions: [ConversationSession]
    private let formats: [Format]
    private let server: String?
    private let current = Locked<Talk?>(nil)

    /// - Parameters:
    ///   - formats: each session's capture format, in the order of `sessions`.
    ///   - server: a PulseAudio server address; nil for the user's default.
    init(sessions: [ConversationSession], formats: [Format], server: String? = nil) {
        precondition(sessions.count == formats.count, "one capture format per session")
        self.sessions = sessions
        self.formats = formats
        self.server = server
    }

    func talk(_ request: TalkRequest?) {
        let next = request.flatMap { request in
            sessions.indices.contains(request.pane)
                ? Talk(id: request.id, session: sessions[request.pane], format: formats[request.pane], server: server, reports: reports)
                : nil
        }
        let previous = current.withLock { talk in
            defer { talk = next }
            return talk
        }
        previous?.release()
        next?.start()
    }
}

/// One talk: a microphone stream read on a thread of its own into a session's live audio.
private final class Talk: Sendable {
    let id: Int
    let session: ConversationSession
    let format: TalkCapture.Format
    let server: String?
    let reports: SnapshotChannel<TalkReport?>
    private let released = Locked(false)

    init(id: Int, session: ConversationSession, format: TalkCapture.Format, server: String?, reports: SnapshotChannel<TalkReport?>) {
        self.id = id
        self.session = session
        self.format = format
        self.server = server
        self.reports = reports
    }

    func start() {
        let thread = Thread { [self] in
            try? "convtui-talk".write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
            capture()
        }
        thread.start()
    }

    /// Ends the talk: the thread stops reading within one chunk and ends the session's stream.
    func release() {
        released.withLock { $0 = true }
    }

    private var isReleased: Bool { released.withLock { $0 } }

    private func capture() {
        let microphone: PulseStream
        do {
            microphone = try PulseStream(
                .capture, sampleRate: format.sampleRate, bufferMilliseconds: TalkCapture.fragmentMilliseconds, name: "push-to-talk",
                server: server)
        } catch {
            reports.publish(.ended(id: id, .noMicrophone(error.reason)))
            return
        }
        guard !isReleased else { return }
        let live: LiveAudio
        do {
            live = try session.streamLiveAudio(sampleRate: format.sampleRate, chunkMilliseconds: format.chunkMilliseconds)
        } catch {
            reports.publish(.ended(id: id, .send(error)))
            return
        }
        reports.publish(.started(id: id))
        // A failed send or a stopped session ends the stream; the capture ends with it.
        Task { [self] in
            guard let failure = await live.outcome else { return }
            release()
            reports.publish(.ended(id: id, .send(failure)))
        }
        let count = format.sampleRate * format.chunkMilliseconds / 1000
        while !isReleased {
            do {
                let samples = try microphone.read(count: count)
                if !live.send(AudioChunk(samples: samples, sampleRate: format.sampleRate)) { break }
            } catch {
                reports.publish(.ended(id: id, .microphoneStopped(error.reason)))
                break
            }
        }
        live.end()
    }
}
