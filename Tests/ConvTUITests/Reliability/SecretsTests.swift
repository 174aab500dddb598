import Foundation
import Testing
import TestSupport

/// A known fake key handed to real transports (against the loopback simulator, and against
/// hosts that fail) never shows up in stdout, stderr or the logs, and logs stay private.
@Suite("Secrets stay secret", .serialized)
struct SecretsTests {
    private static let key = "sk-convtui-FAKE-0123456789"

    @Test func fakeKeyNeverLeaks() async throws {
        let (server, port) = try await startSimServer()
        defer { server.signal(SIGTERM) }
        let directory = makeTemporaryDirectory("convtui-secrets")
        let logs = directory + "/logs"
        let config = directory + "/keys.toml"
        try """
            api_key_env = "CONVTUI_TEST_KEY"
            reconnect = false

            [[session]]
            name = "el"
            backend = "elevenlabs"
            url = "ws://127.0.0.1:\(port)"
            agent_id = "echo"
            script = [{ delay = 0.2, text = "hello eleven" }, { delay = 0.3, text = "/sim error" }]

            [[session]]
            name = "rt"
            backend = "openai"
            url = "ws://127.0.0.1:\(port)/v1"
            model = "echo"
            script = [{ delay = 0.2, text = "hello realtime" }, { delay = 0.3, text = "/sim error" }]

            [[session]]
            name = "badhost"
            backend = "openai"
            url = "ws://no-such-host.invalid/v1"
            allow_insecure = true

            [[session]]
            name = "refused"
            backend = "elevenlabs"
            url = "ws://127.0.0.1:1"
            agent_id = "ava"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let run = try ConvtuiProcess(
            ["run", config, "--headless", "--record-dir", logs], environment: ["CONVTUI_TEST_KEY": Self.key])
        func lines(_ name: String, _ type: String) -> Bool {
            run.jsonLines.contains { $0["name"] as? String == name && $0["type"] as? String == type }
        }
        #expect(await eventually(timeout: .seconds(20)) {
            lines("el", "server_error") && lines("rt", "server_error") && lines("badhost", "failed") && lines("refused", "failed")
        })
        run.send("quit")
        #expect(await run.waitForExit() == 0)

        var everything = run.stdout + run.stderr + server.stderr + server.stdout
        let files = try FileManager.default.contentsOfDirectory(atPath: logs)
        #expect(files.count >= 4)
        for file in files {
            let path = logs + "/" + file
            everything += try String(contentsOfFile: path, encoding: .utf8)
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600, "\(file)")
        }
        #expect(try FileManager.default.attributesOfItem(atPath: logs)[.posixPermissions] as? Int == 0o700)
        #expect(!everything.contains(Self.key))
        #expect(!everything.contains("FAKE-0123"), "no fragment of the key either")
    }
}
