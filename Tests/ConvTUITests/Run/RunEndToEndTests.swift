import ConvEngine
import Foundation
import Testing
import TestSupport

/// `convtui sim-server` and `convtui run --headless`, as two real processes on loopback.
@Suite("Run a config, end to end", .serialized)
struct RunEndToEndTests {
    @Test func headlessRunAgainstTheSimulatorServer() async throws {
        let (server, port) = try await startSimServer()
        defer { server.signal(SIGTERM) }
        let directory = makeTemporaryDirectory()
        let config = directory + "/local.toml"
        try """
            [[session]]
            name = "el"
            backend = "elevenlabs"
            url = "ws://127.0.0.1:\(port)"
            agent_id = "echo"
            script = [{ delay = 0.2, text = "hello eleven" }]

            [[session]]
            name = "rt"
            backend = "openai"
            url = "ws://127.0.0.1:\(port)/v1"
            model = "echo"
            api_key_env = "CONVTUI_SIM_KEY"
            script = [{ delay = 0.2, text = "hello realtime" }]

            [[session]]
            name = "later"
            backend = "sim"
            autostart = false
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let run = try ConvtuiProcess(
            ["run", config, "--headless", "--record-dir", directory + "/logs", "--save-audio"], environment: ["CONVTUI_SIM_KEY": "sk-sim"])
        func texts(_ name: String) -> [String] {
            run.jsonLines.filter { $0["name"] as? String == name && $0["type"] as? String == "agent_text_done" }.compactMap { $0["text"] as? String }
        }
        #expect(await eventually { texts("el").contains { $0.contains("hello eleven") } })
        #expect(await eventually { texts("rt").contains { $0.contains("hello realtime") } })
        #expect(!run.jsonLines.contains { $0["name"] as? String == "later" })
        run.send("start later")
        #expect(await eventually { run.jsonLines.contains { $0["name"] as? String == "later" && $0["type"] as? String == "connected" } })
        run.send("quit")
        #expect(await run.waitForExit() == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory + "/logs")
        #expect(files.filter { $0.hasSuffix(".jsonl") }.count == 3)
        // The agent's audio sits beside its own log, and a replay finds it there: every piece the
        // log counts, none lost.
        let log = try #require(files.first { $0.hasSuffix("-el.jsonl") })
        let saved = SavedAudioFiles(logPath: directory + "/logs/" + log)
        #expect(FileManager.default.fileExists(atPath: saved.agent))
        let pieces = try SessionLogReader.read(path: directory + "/logs/" + log).events.filter { $0.kind.typeName == "agent_audio" }.count
        let audio = try #require(ReplayAudio.load(logPath: directory + "/logs/" + log))
        #expect(pieces > 0 && audio.agent?.pieces.count == pieces)
    }

    @Test func configErrorsNameFileLineAndKey() async throws {
        let directory = makeTemporaryDirectory()
        let config = directory + "/broken.toml"
        try "[[session]]\nname = \"a\"\nbackend = \"eleven\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        let run = try ConvtuiProcess(["run", config, "--headless", "--no-record"])
        #expect(await run.waitForExit() != 0)
        #expect(run.stderr.contains("\(config):3: session \"a\".backend: unknown backend \"eleven\""))
    }
}
