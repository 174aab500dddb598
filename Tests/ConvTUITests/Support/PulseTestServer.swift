import Foundation
import Testing
import TestSupport

/// The tests' PulseAudio server (`scripts/pulse-test-server.sh`: a null sink whose monitor
/// `parec` records), and recordings of that sink.
enum PulseTestServer {
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Whether Debian's `pulseaudio` is installed (the audio tests skip without it; CI installs it).
    static var isInstalled: Bool {
        ["/usr/bin/pulseaudio", "/usr/local/bin/pulseaudio"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether the recording tests were asked for (`CONVTUI_AUDIO_TESTS=1`). They play and
    /// record in real time: on their own they pass, also beside two CPU hogs, but inside the
    /// whole parallel suite on 2 cores the player and the sound server are starved (the player
    /// skipped 260-300 ms, the replay's sound broke off), so `.ci/run` runs them in a step of
    /// their own after the suite (docs/audio.md, Tests).
    static var recordingTestsAsked: Bool { ProcessInfo.processInfo.environment["CONVTUI_AUDIO_TESTS"] == "1" }

    /// Why a recording test did not run.
    static var recordingTestsSkipped: Comment {
        "real-time recording, starved inside the parallel suite: `.ci/run` runs it on its own (CONVTUI_AUDIO_TESTS=1)"
    }

    /// Starts the server if it is not running yet; returns its address (`unix:/…`).
    ///
    /// On a thread of its own: the script waits up to 10 s for a server to answer, and two tests
    /// waiting on the cooperative pool's two threads would stall every other test meanwhile.
    static func start() async throws -> String {
        let script = repository.appendingPathComponent("scripts/pulse-test-server.sh")
        return try await run(script, [], failure: { ServerError(status: $0) })
    }

    /// Runs `executable` with `arguments` on a thread of its own; returns what it printed, or
    /// throws `failure(status)` when it exits with another status than 0.
    private static func run(_ executable: URL, _ arguments: [String], failure: @escaping @Sendable (Int32) -> any Error) async throws -> String {
        try await onOwnThread { () -> Result<String, any Error> in
            Result {
                let process = Process()
                process.executableURL = executable
                process.arguments = arguments
                let output = Pipe()
                process.standardOutput = output
                process.standardError = FileHandle.nullDevice
                try process.run()
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                guard process.terminationStatus == 0 else { throw failure(process.terminationStatus) }
                return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }.get()
    }

    struct ServerError: Error {
        let status: Int32
    }

    /// The sink whose monitor is the server's default source: what is played into it is what
    /// a microphone hears (push-to-talk's tests). Its rate, so nothing is resampled.
    static var microphoneSink: String { "convtui_mic" }
    static var microphoneRate: Int { 16_000 }

    /// Plays mono PCM16 `samples` at ``microphoneRate`` into the microphone with `pacat` and
    /// returns once it has been played (pacat drains before it exits).
    static func playIntoMicrophone(_ samples: [Int16], server: String) async throws {
        let path = makeTemporaryDirectory("convtui-pacat") + "/mic.raw"
        try samples.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: path))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "pacat", "--playback", "--server=\(server)", "--device=\(microphoneSink)", "--rate=\(microphoneRate)", "--channels=1",
            "--format=s16le",
        ]
        process.standardInput = FileHandle(forReadingAtPath: path)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        guard await eventually(timeout: .seconds(60), every: .milliseconds(20), { !process.isRunning }) else {
            throw PlaybackError(reason: "pacat did not finish within 60 s")
        }
        guard process.terminationStatus == 0 else { throw PlaybackError(reason: "pacat exited with \(process.terminationStatus)") }
    }

    struct PlaybackError: Error {
        let reason: String
    }

    /// Runs `pactl` against `server`; returns what it printed.
    @discardableResult
    static func pactl(_ arguments: [String], server: String) async throws -> String {
        try await run(URL(fileURLWithPath: "/usr/bin/env"), ["pactl", "--server=\(server)"] + arguments) { status in
            PlaybackError(reason: "pactl \(arguments) exited with \(status)")
        }
    }
}

/// A 48 kHz mono null sink of one test's own, so that what the test records of it is what the
/// test played: other test processes (a suite run at the same time) play to the default sink.
struct PrivateSink {
    let name: String
    private let module: String
    private let server: String

    init(server: String) async throws {
        self.server = server
        name = "convtui_test_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        module = try await PulseTestServer.pactl(["load-module", "module-null-sink", "sink_name=\(name)", "rate=48000", "channels=1"], server: server)
    }

    /// A new null sink renders blocks of its maximum latency (2 s) until a client asks for
    /// less (the recording, the player), and the block it is in when they do still has to
    /// pass: audio played to it earlier waits up to that long (measured: the first write
    /// blocked for 0.94 s; 9 ms of sink latency 3 s after the recording started).
    static var settling: Duration { .milliseconds(2500) }

    /// Unloads the sink, without waiting (called from a `defer`).
    func remove() {
        let (module, server) = (module, server)
        Task.detached { _ = try? await PulseTestServer.pactl(["unload-module", module], server: server) }
    }
}

/// `parec` recording one of the test server's null sinks (mono PCM16 at 48 kHz) into a file.
final class SinkRecording: Sendable {
    static var sampleRate: Int { 48_000 }
    private let process: Process
    private let path: String

    init(server: String, sink: String = "convtui_null") throws {
        path = makeTemporaryDirectory("convtui-parec") + "/sink.raw"
        FileManager.default.createFile(atPath: path, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "parec", "--server=\(server)", "--device=\(sink).monitor", "--rate=\(Self.sampleRate)", "--channels=1",
            "--format=s16le", "--latency-msec=20",
        ]
        process.standardOutput = FileHandle(forWritingAtPath: path)
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Ends the recording and returns its samples. A child of `Process` here inherits the test
    /// runner's blocked signals and does not act on SIGINT, so after asking, parec is given a
    /// moment to write what it holds (it records with 20 ms of latency), then killed. (It
    /// waited 10 s here, every time: most of each listen test's time.)
    func stop() async -> [Int16] {
        process.interrupt()
        _ = await eventually(timeout: .milliseconds(500), every: .milliseconds(20)) { !process.isRunning }
        let data = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return data.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
