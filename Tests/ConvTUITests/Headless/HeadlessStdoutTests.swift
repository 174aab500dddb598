import ConvEngine
import Foundation
import Glibc
import Testing
import TestSupport

/// The real binary with a stdout that stops being read, that closes, and a disk that fills:
/// sessions keep their pace, the run ends cleanly, and what was lost is said.
@Suite("Headless stdout and disk", .serialized)
struct HeadlessStdoutTests {
    /// Events of each log in `directory` (header skipped), by file name.
    private func logs(_ directory: String) throws -> [String: [[String: Any]]] {
        var result: [String: [[String: Any]]] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: directory) where file.hasSuffix(".jsonl") {
            let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            result[file] = text.split(separator: "\n").dropFirst().compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }
        return result
    }

    @Test func headOneEndsTheRunCleanlyWithStatusZero() async throws {
        let directory = makeTemporaryDirectory("convtui-head")
        let script = """
            set -o pipefail
            "$0" demo --headless --sessions 3 --duration 60 --record-dir "$1" </dev/null | head -1 >/dev/null
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script, ConvtuiProcess.binaryPath, directory + "/logs"]
        let start = ContinuousClock.now
        try process.run()
        #expect(await eventually(timeout: .seconds(30)) { !process.isRunning }, "convtui ended long before its 60 s")
        #expect(ContinuousClock.now - start < .seconds(30))
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0, "not 141 (SIGPIPE)")
        let logs = try logs(directory + "/logs")
        #expect(logs.count == 3)
        for (file, events) in logs {
            #expect(events.last?["type"] as? String == "ended", "\(file) ends with its run's end")
        }
    }

    @Test func aReaderThatStopsDoesNotSlowTheSessions() async throws {
        let directory = makeTemporaryDirectory("convtui-blocked")
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        // As small as a pipe gets: it fills within the first second.
        _ = fcntl(fds[1], 1031 /* F_SETPIPE_SZ */, 4096)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ConvtuiProcess.binaryPath)
        process.arguments = ["demo", "--headless", "--sessions", "4", "--pace", "0.5", "--duration", "6", "--record-dir", directory + "/logs"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(fileDescriptor: fds[1], closeOnDealloc: false)
        let stderrPipe = Pipe()
        process.standardError = stderrPipe
        try process.run()
        close(fds[1])
        // Nobody reads until the run is over.
        try await Task.sleep(for: .seconds(7))
        let reader = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
        // Seconds of blocking until the run ends: off the cooperative pool (see `onOwnThread`).
        let printed = await onOwnThread { reader.readDataToEndOfFile() }
        #expect(await eventually(timeout: .seconds(20)) { !process.isRunning })
        #expect(process.terminationStatus == 0)
        let logs = try logs(directory + "/logs")
        #expect(logs.count == 4)
        for (file, events) in logs {
            let times = events.compactMap { $0["t"] as? Double }
            #expect((times.last ?? 0) >= 5.5, "\(file) kept growing until the end")
            #expect(times.filter { $0 > 3 && $0 <= 6 }.count > 10, "\(file) kept its pace while stdout was blocked")
            #expect(events.last?["type"] as? String == "ended")
        }
        let lines = String(decoding: printed, as: UTF8.self).split(separator: "\n")
        #expect(lines.count >= logs.values.map(\.count).reduce(0, +), "every event reached stdout in the end")
    }

    @Test(.enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
    func aFullDiskMarksTheSessionsAndTheExitStatusButTheyRunOn() async throws {
        let mountPoint = makeTemporaryDirectory("convtui-tmpfs")
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=16k", "tmpfs", mountPoint]
        try mount.run()
        await onOwnThread { mount.waitUntilExit() }
        try #require(mount.terminationStatus == 0, "could not mount a tmpfs")
        defer {
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/bin/umount")
            umount.arguments = [mountPoint]
            try? umount.run()
            umount.waitUntilExit()
        }
        let process = try ConvtuiProcess(["demo", "--headless", "--sessions", "2", "--pace", "0.2", "--duration", "5", "--record-dir", mountPoint])
        #expect(await process.waitForExit(timeout: .seconds(30)) == 1, "a failed recording fails the run")
        let events = process.jsonLines
        let stopped = events.filter { $0["type"] as? String == "recording_stopped" }
        #expect(stopped.contains { $0["reason"] as? String == "No space left on device" })
        for session in [1, 2] {
            let times = events.filter { $0["session"] as? Int == session }.compactMap { $0["t"] as? Double }
            #expect((times.last ?? 0) >= 4.5, "session \(session) ran to the end")
        }
        #expect(process.stderr.contains("recording failed"))
        // What is in the logs is whole lines only.
        for file in try FileManager.default.contentsOfDirectory(atPath: mountPoint) {
            let data = try Data(contentsOf: URL(fileURLWithPath: mountPoint + "/" + file))
            #expect(data.last == 0x0A, "\(file) ends with a whole line")
        }
    }
}
