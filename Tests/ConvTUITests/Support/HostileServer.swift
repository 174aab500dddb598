import Foundation
import ConvEngine
import Testing
import TestSupport

/// `Tests/Tools/hostile_server.py` on a free loopback port: a WebSocket server written
/// without any of convtui's code (Python, standard library only) that resets connections
/// mid-frame, sends frames over the size limit, floods, and puts terminal escapes in every
/// text field. The agent id (ElevenLabs) or model (OpenAI) picks what a connection gets; the
/// script's docstring lists the behaviours.
final class HostileServer: Sendable {
    /// Whether `python3` runs here (the test tools need it); `.ci/run` installs it when missing.
    static let isAvailable: Bool = {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import hashlib, socket, threading"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }()

    private static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tools/hostile_server.py").path
    }

    let port: Int
    private let process: Process
    private let output: Output

    /// What the server printed, filled in by the pipes' handlers.
    private final class Output: Sendable {
        let stdout = Locked(Data())
        let stderr = Locked(Data())
    }

    /// Starts the server and waits until it listens.
    init() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script, "--port", "0"]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        let printed = Output()
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            printed.stdout.withLock { $0.append(data) }
        }
        errors.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            printed.stderr.withLock { $0.append(data) }
        }
        try process.run()
        var port: Int?
        _ = await eventually {
            let line = printed.stdout.withLock { String(decoding: $0, as: UTF8.self) }
            port = line.split(separator: "\n").first.flatMap { $0.split(separator: " ").last }.flatMap { Int($0) }
            return port != nil || !process.isRunning
        }
        if port == nil { process.terminate() }
        self.port = try #require(port, "the hostile server did not start: \(printed.stderr.withLock { String(decoding: $0, as: UTF8.self) })")
        self.process = process
        self.output = printed
    }

    /// What the server printed on stderr (a traceback means the test server itself broke).
    var errors: String { output.stderr.withLock { String(decoding: $0, as: UTF8.self) } }

    func stop() {
        if process.isRunning { process.terminate() }
    }

    deinit {
        stop()
    }
}
