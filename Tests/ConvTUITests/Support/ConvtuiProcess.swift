import ConvEngine
import Foundation
import Testing
import TestSupport

/// The real `convtui` binary, built next to this test bundle, run as a child process.
final class ConvtuiProcess: Sendable {
    /// The binary SwiftPM built alongside the tests.
    static var binaryPath: String {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundleDirectory.appendingPathComponent("convtui").path
    }

    private let process: Process
    private let stdinPipe = Pipe()
    private let output = Locked(Output())

    private struct Output {
        var stdout = Data()
        var stderr = Data()
        /// Stdout's complete lines parsed so far, and how many bytes of it they took.
        var json: [[String: Any]] = []
        var parsedBytes = 0
    }

    /// Starts `convtui arguments…`, capturing stdout and stderr.
    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binaryPath)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = stdinPipe
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        stdoutPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            self?.output.withLock { $0.stdout.append(data) }
        }
        stderrPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            self?.output.withLock { $0.stderr.append(data) }
        }
        try process.run()
    }

    /// Writes one line to the child's stdin.
    func send(_ line: String) {
        stdinPipe.fileHandleForWriting.write(Data((line + "\n").utf8))
    }

    func closeInput() {
        try? stdinPipe.fileHandleForWriting.close()
    }

    /// The raw bytes, for checks that must see exactly what a terminal would.
    var stdoutData: Data { output.withLock { $0.stdout } }
    var stderrData: Data { output.withLock { $0.stderr } }

    var stdout: String { output.withLock { String(decoding: $0.stdout, as: UTF8.self) } }
    var stderr: String { output.withLock { String(decoding: $0.stderr, as: UTF8.self) } }

    /// Complete stdout lines parsed as JSON objects. Tests poll this every few milliseconds:
    /// only the lines completed since the last look are parsed, not the whole output again.
    var jsonLines: [[String: Any]] {
        output.withLock { output in
            let newline = UInt8(ascii: "\n")
            let start = output.stdout.startIndex + output.parsedBytes
            guard let last = output.stdout[start...].lastIndex(of: newline) else { return output.json }
            for line in output.stdout[start..<last].split(separator: newline) {
                if let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] {
                    output.json.append(object)
                }
            }
            output.parsedBytes = last + 1 - output.stdout.startIndex
            return output.json
        }
    }

    /// The child's process id (to read its memory use from `/proc`).
    var processIdentifier: Int32 { process.processIdentifier }

    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for the process to exit (up to `timeout`, sized for a debug build on a loaded 2-core
    /// machine: 10 s ran out there); returns its status, or nil if it is still running.
    func waitForExit(timeout: Duration = .seconds(30)) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if process.isRunning { return nil }
        try? await Task.sleep(for: .milliseconds(50))
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}

/// Starts `convtui sim-server --port 0 EXTRA…` and reads the port it bound from stderr.
func startSimServer(_ extra: [String] = []) async throws -> (ConvtuiProcess, Int) {
    let server = try ConvtuiProcess(["sim-server", "--port", "0"] + extra)
    var port: Int?
    _ = await eventually {
        port = server.stderr.split(separator: "\n").first.flatMap { $0.split(separator: ":").last }.flatMap { Int($0) }
        return port != nil
    }
    return (server, try #require(port))
}
