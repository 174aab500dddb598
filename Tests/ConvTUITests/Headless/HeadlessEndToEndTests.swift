import ConvEngine
import Foundation
import Testing
import TestSupport

/// The headless contract, on the real binary: JSON lines out, line commands in, logs on disk.
@Suite("Headless demo, end to end", .serialized)
struct HeadlessEndToEndTests {
    private func logs(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".jsonl") }.sorted().map { directory + "/" + $0 }
    }

    @Test func eightSessionsPrintEventsAndLeavePrivateLogs() async throws {
        let directory = makeTemporaryDirectory() + "/logs"
        let process = try ConvtuiProcess([
            "demo", "--headless", "--sessions", "8", "--seed", "7", "--duration", "3", "--record-dir", directory,
        ])
        process.closeInput()
        #expect(await process.waitForExit() == 0)
        let lines = process.jsonLines
        #expect(Set(lines.compactMap { $0["session"] as? Int }) == Set(1...8))
        #expect(lines.allSatisfy { $0["name"] is String && $0["type"] is String && $0["t"] is Double })
        #expect(process.stderr.contains("session logs in \(directory)"))
        let files = logs(in: directory)
        #expect(files.count == 8)
        for file in files {
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            let log = try SessionLogReader.read(path: file)
            #expect(log.problems.isEmpty)
            #expect(log.events.last.map { if case .ended = $0.kind { true } else { false } } == true)
        }
        let dirAttributes = try FileManager.default.attributesOfItem(atPath: directory)
        #expect((dirAttributes[.posixPermissions] as? Int) == 0o700)
    }

    @Test func stdinCommandsDriveSessionsIndependently() async throws {
        let directory = makeTemporaryDirectory()
        let process = try ConvtuiProcess(["demo", "--headless", "--sessions", "3", "--pace", "0.3", "--record-dir", directory])
        func count(_ session: Int) -> Int { process.jsonLines.filter { $0["session"] as? Int == session }.count }
        func snapshot(_ session: String) async -> [String: Any]? {
            let before = process.jsonLines.count
            process.send("snapshot \(session)")
            var found: [String: Any]?
            _ = await eventually {
                found = process.jsonLines.dropFirst(before).last { $0["type"] as? String == "snapshot" }
                return found != nil
            }
            return found
        }
        #expect(await eventually { (1...3).allSatisfy { count($0) > 5 } })
        process.send("stop 2")
        #expect(await eventually { process.jsonLines.contains { $0["session"] as? Int == 2 && $0["type"] as? String == "ended" } })
        #expect(await snapshot("2")?["phase"] as? String == "ended")
        let stoppedAt = count(2)
        let othersAt = (count(1), count(3))
        #expect(await eventually { count(1) > othersAt.0 + 5 && count(3) > othersAt.1 + 5 })
        #expect(count(2) == stoppedAt, "a stopped session prints nothing more")
        let first = await snapshot("1")
        #expect(first?["phase"] as? String == "live")
        let firstId = first?["conversation_id"] as? String
        process.send("restart ava")
        #expect(await eventually {
            let after = process.jsonLines.last { $0["session"] as? Int == 1 && $0["type"] as? String == "connected" }
            return after?["run"] as? Int == 2
        })
        let restarted = await snapshot("ava")
        #expect(restarted?["run"] as? Int == 2)
        #expect(restarted?["conversation_id"] as? String != firstId)
        process.send("send 3 hello from stdin")
        #expect(await eventually { process.jsonLines.contains { $0["type"] as? String == "user_message" && $0["text"] as? String == "hello from stdin" } })
        process.send("frobnicate 1")
        process.send("stop 9")
        #expect(await eventually { process.stderr.contains("unknown command \"frobnicate\"") && process.stderr.contains("error: line 8: no session 9 (1-3 or a name)") })
        process.send("quit")
        #expect(await process.waitForExit() == 0)
    }

    @Test func sigtermStopsCleanlyAndSigkillLeavesReadableLogs() async throws {
        let cleanDirectory = makeTemporaryDirectory()
        let clean = try ConvtuiProcess(["demo", "--headless", "--sessions", "2", "--pace", "0.2", "--record-dir", cleanDirectory])
        #expect(await eventually { clean.jsonLines.count > 10 })
        clean.signal(SIGTERM)
        #expect(await clean.waitForExit() == 0)
        for file in logs(in: cleanDirectory) {
            #expect(try SessionLogReader.read(path: file).problems.isEmpty)
        }

        let killedDirectory = makeTemporaryDirectory()
        let killed = try ConvtuiProcess(["demo", "--headless", "--sessions", "4", "--pace", "0.1", "--record-dir", killedDirectory])
        // Killed once every log has lines on disk (they are written a linger behind stdout),
        // while the sessions go on writing.
        func eventCounts() -> [Int] {
            logs(in: killedDirectory).map { (try? SessionLogReader.read(path: $0).events.count) ?? 0 }
        }
        #expect(await eventually(timeout: .seconds(30)) {
            let counts = eventCounts()
            return killed.jsonLines.count > 40 && counts.count == 4 && counts.allSatisfy { $0 > 3 }
        })
        killed.signal(SIGKILL)
        _ = await killed.waitForExit()
        let files = logs(in: killedDirectory)
        #expect(files.count == 4)
        for file in files {
            let log = try SessionLogReader.read(path: file)
            #expect(log.events.count > 3)
            #expect(log.problems.allSatisfy { $0.kind == .tornTail })
        }
    }
}
