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
        /// Pipes that reached end of file: once both have, everything the child wrote is here.
        var ended = 0
    }

    /// Starts `convtui arguments…`, capturing stdout and stderr; inside the network namespace
    /// `namespace` if one is named (`ip netns exec` execs convtui, so the pid is convtui's).
    init(_ arguments: [String], environment: [String: String] = [:], namespace: String? = nil) throws {
        process = Process()
        if let namespace {
            process.executableURL = URL(fileURLWithPath: NetworkNamespace.ipTool)
            process.arguments = ["netns", "exec", namespace, Self.binaryPath] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: Self.binaryPath)
            process.arguments = arguments
        }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = stdinPipe
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        stdoutPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil }
            self?.output.withLock {
                $0.stdout.append(data)
                if data.isEmpty { $0.ended += 1 }
            }
        }
        stderrPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil }
            self?.output.withLock {
                $0.stderr.append(data)
                if data.isEmpty { $0.ended += 1 }
            }
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
        while ContinuousClock.now < deadline {
            if let status = exitStatus() {
                // What it wrote last is read by now, unless a grandchild holds the pipes.
                _ = await eventually(timeout: .seconds(2)) { output.withLock { $0.ended == 2 } }
                return status
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        if let status = exitStatus() { return status }
        let state = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("State:") } ?? "gone"
        print("convtui \(process.processIdentifier) \(process.arguments ?? []) has not exited after \(timeout): \(state)")
        return nil
    }

    /// The exit status (or the signal that ended it) once the child has exited. Read with
    /// `waitid(WNOWAIT)`, which leaves the child for Foundation to reap, so that a busy
    /// Foundation noticing late does not look like a child that will not quit.
    private func exitStatus() -> Int32? {
        if !process.isRunning { return process.terminationStatus }
        var info = siginfo_t()
        let pid = process.processIdentifier
        guard waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0, info._sifields._sigchld.si_pid == pid else {
            return nil
        }
        return info._sifields._sigchld.si_status
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
