import Foundation
import Testing
import TestSupport

/// The real `convtui` console on a pseudo-terminal of its own (`Tests/Tools/pty_record.py`),
/// with every byte it writes to the terminal recorded: what a terminal emulator would be
/// asked to interpret, before any emulator has interpreted it.
final class PtyConsole: Sendable {
    private let process: Process
    private let keys = Pipe()
    private let recording: String

    /// Starts `convtui ARGUMENTS` on a `width`×`height` terminal of type `term`, with
    /// `environment` over this process's.
    init(
        _ arguments: [String], width: Int = 120, height: Int = 40, term: String = "xterm-256color", environment: [String: String] = [:]
    ) throws {
        let tool = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tools/pty_record.py").path
        recording = makeTemporaryDirectory("convtui-pty") + "/terminal.bin"
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", tool, "--rows", "\(height)", "--cols", "\(width)", "--output", recording, "--", ConvtuiProcess.binaryPath]
            + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["TERM": term, "LANG": "C.UTF-8"]) { $1 }
            .merging(environment) { $1 }
        process.standardInput = keys
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Every byte written to the terminal so far.
    var output: [UInt8] {
        (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: recording)))) ?? []
    }

    /// Types keys into the terminal.
    func type(_ keys: String) {
        self.keys.fileHandleForWriting.write(Data(keys.utf8))
    }

    /// Waits until the output, decoded, satisfies `condition`; returns whether it did.
    func waitFor(timeout: Duration = .seconds(15), _ condition: (String) -> Bool) async -> Bool {
        await eventually(timeout: timeout, every: .milliseconds(100)) { condition(String(decoding: output, as: UTF8.self)) }
    }

    /// Waits for convtui to exit; returns its status, or nil if it is still running.
    func waitForExit(timeout: Duration = .seconds(30)) async -> Int32? {
        _ = await eventually(timeout: timeout, every: .milliseconds(20)) { !process.isRunning }
        return process.isRunning ? nil : process.terminationStatus
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}
