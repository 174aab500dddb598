import ConvEngine
import Foundation
import Testing

/// Config files: the complete example, defaults, and errors that name file, line and key.
@Suite struct ConsoleConfigTests {
    private func parse(_ text: String, environment: [String: String] = [:]) throws(ConfigError) -> ConsoleConfig {
        try ConsoleConfig.parse(text, path: "test.toml", environment: environment)
    }

    private func error(_ text: String, environment: [String: String] = [:]) -> ConfigError? {
        do {
            _ = try parse(text, environment: environment)
            return nil
        } catch {
            return error
        }
    }

    @Test func remoteAgentsBesideOrInsteadOfSessions() throws {
        let config = try parse(
            """
            [[session]]
            name = "a"
            backend = "sim"

            [[remote]]
            url = "https://agent-a:7070/"

            [[remote]]
            url = "10.0.0.7:7070"
            token_env = "FLEET_TOKEN"
            insecure = true
            """, environment: ["CONVTUI_TOKEN": "tok-a", "FLEET_TOKEN": "tok-b"])
        #expect(config.sessions.map(\.name) == ["a"])
        #expect(config.remotes.map(\.address.httpBase) == ["https://agent-a:7070", "http://10.0.0.7:7070"])
        #expect(config.remotes.map(\.token.value) == ["tok-a", "tok-b"])
        #expect(config.remotes.map(\.insecure) == [false, true])
        #expect("\(config.remotes[0])".contains("tok-a") == false, "the token never shows")
        let remoteOnly = try parse("[[remote]]\nurl = \"http://127.0.0.1:7070\"\n", environment: ["CONVTUI_TOKEN": "t"])
        #expect(remoteOnly.sessions.isEmpty)
    }

    @Test func remoteErrorsNameLineAndKey() {
        let environment = ["CONVTUI_TOKEN": "t"]
        let badURL = error("[[session]]\nname = \"a\"\nbackend = \"sim\"\n\n[[remote]]\nurl = \"ftp://x/y\"\n", environment: environment)
        #expect(badURL?.line == 6)
        #expect(badURL?.key == "remote[1].url")
        let noToken = error("[[remote]]\nurl = \"http://h:1\"\ntoken_env = \"MISSING\"\n", environment: environment)
        #expect(noToken?.line == 3)
        #expect(noToken?.message.contains("MISSING") == true)
        let unknown = error("[[remote]]\nurl = \"http://h:1\"\nport = 3\n", environment: environment)
        #expect(unknown?.line == 3)
        #expect(unknown?.key == "remote[1].port")
        let twice = error("[[remote]]\nurl = \"http://h:1\"\n[[remote]]\nurl = \"ws://h:1\"\n", environment: environment)
        #expect(twice?.line == 4)
        #expect(error("", environment: environment)?.message.contains("[[remote]]") == true)
    }

    @Test func sessionsWithDefaults() throws {
        let config = try parse(
            """
            reconnect = true
            [defaults]
            url = "ws://127.0.0.1:8765"
            autostart = false

            [[session]]
            name = "a"
            backend = "elevenlabs"
            agent_id = "ava"
            api_key_env = "XI_KEY"
            script = ["hello", { delay = 0.5, text = "again" }]
            [session.tools]
            get_weather = "sunny"

            [[session]]
            name = "b"
            backend = "openai"
            url = "ws://127.0.0.1:8765/v1"
            model = "sam"
            dialect = "beta"
            turn_detection = "none"
            autostart = true
            """, environment: ["XI_KEY": "xi-secret"])
        #expect(config.sessions.map(\.name) == ["a", "b"])
        let a = config.sessions[0]
        #expect(a.backend == .elevenlabs)
        #expect(a.url == "ws://127.0.0.1:8765")
        #expect(a.apiKey?.value == "xi-secret")
        #expect(!"\(a)".contains("xi-secret"))
        #expect(a.autostart == false)
        #expect(a.reconnect == ReconnectPolicy())
        #expect(a.tools == ["get_weather": "sunny"])
        #expect(a.script == [
            ScriptStep(delay: .seconds(2), action: .text("hello")), ScriptStep(delay: .milliseconds(500), action: .text("again")),
        ])
        let b = config.sessions[1]
        #expect(b.dialect == .beta)
        #expect(b.serverVAD == false)
        #expect(b.autostart)
        #expect(b.url == "ws://127.0.0.1:8765/v1")
    }

    /// 50 000 nested table headers overflowed the stack; refused before parsing, with the line.
    @Test(arguments: [
        "[" + Array(repeating: "a", count: 50_000).joined(separator: ".") + "]\n",
        "x = " + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "\n",
        Array(repeating: "k", count: 40).joined(separator: ".") + " = 1\n",
    ])
    func deepNestingIsRefused(nested: String) {
        let failure = error("[[session]]\nname = \"a\"\n" + nested)
        #expect(failure?.message.contains("nested deeper than") == true, "\(String(describing: failure))")
        #expect(failure?.line == 3)
    }

    @Test func ordinaryNestingIsAccepted() throws {
        _ = try parse("[defaults]\npace = 1.5\n[[session]]\nname = \"a\"\nmodalities = [\"text\"]\n")
    }

    @Test func theShippedExamplesLoad() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let local = try ConsoleConfig.load(path: root.appendingPathComponent("examples/local-sim-server.toml").path, environment: ["CONVTUI_SIM_KEY": "k"])
        #expect(Set(local.sessions.map(\.backend)) == [.sim, .elevenlabs, .openai])
        let real = try ConsoleConfig.load(
            path: root.appendingPathComponent("examples/real-backends.toml").path,
            environment: ["ELEVENLABS_API_KEY": "k", "OPENAI_API_KEY": "k"])
        #expect(real.sessions.count == 2)
    }

    /// A key pasted into `api_key_env` is refused without being echoed.
    @Test func aKeyInApiKeyEnvIsNeverEchoed() {
        let found = error(
            """
            [[session]]
            name = "a"
            backend = "openai"
            api_key_env = "sk-proj-abc123secret"
            """)
        #expect(found.map { !$0.description.contains("sk-proj") && $0.description.contains("api_key_env") } == true)
    }

    /// Trailing silence by default where the server's VAD ends turns; none where the client
    /// commits; an open microphone when asked.
    @Test func idleAudioFollowsTurnDetection() throws {
        let config = try ConsoleConfig.parse(
            """
            [[session]]
            name = "vad"
            backend = "openai"

            [[session]]
            name = "manual"
            backend = "openai"
            turn_detection = "none"
            interrupt_response = false

            [[session]]
            name = "el"
            backend = "elevenlabs"
            agent_id = "a"
            trailing_silence_ms = 800

            [[session]]
            name = "mic"
            backend = "elevenlabs"
            agent_id = "a"
            audio_idle = "silence"
            """, path: "t.toml", environment: [:])
        #expect(config.sessions.map(\.idleAudio) == [
            .trailingSilence(milliseconds: 1500), .nothing, .trailingSilence(milliseconds: 800), .continuousSilence,
        ])
        #expect(config.sessions[1].interruptResponse == false)
    }

    @Test func elevenLabsVariablesToolsAndApprovals() throws {
        let config = try parse(
            """
            [[session]]
            name = "el"
            backend = "elevenlabs"
            agent_id = "a"
            user_id = "u-7"
            manual_tools = ["lookup"]
            auto_approve = ["search_docs"]

            [session.dynamic_variables]
            user_name = "Ana"
            visits = 3
            vip = true
            """)
        let session = try #require(config.sessions.first)
        #expect(session.dynamicVariables == ["user_name": "Ana", "visits": 3, "vip": true])
        #expect(session.manualTools == ["lookup"])
        #expect(session.autoApprove == ["search_docs"])
        #expect(session.userId == "u-7")
        let bad = error(
            """
            [[session]]
            name = "el"
            backend = "elevenlabs"
            agent_id = "a"
            dynamic_variables = { list = [1, 2] }
            """)
        #expect(bad?.message == "must be a string, number or boolean")
        let notAList = error(
            """
            auto_approve = "search_docs"
            [[session]]
            name = "a"
            """)
        #expect(notAList?.message == "must be a list of tool names")
    }

    @Test func unknownKeyNamesFileLineAndKey() {
        let found = error(
            """
            [[session]]
            name = "a"
            backnd = "sim"
            """)
        #expect(found?.line == 3)
        #expect(found?.key == "session \"a\".backnd")
        #expect(found?.description == "test.toml:3: session \"a\".backnd: unknown key")
    }

    @Test func badValuesPointAtTheirLine() {
        let backend = error(
            """
            [[session]]
            name = "a"

            [[session]]
            name = "b"
            backend = "eleven"
            """)
        #expect(backend?.line == 6)
        #expect(backend?.description.contains("session \"b\".backend: unknown backend \"eleven\"") == true)
        let dialect = error("[[session]]\nname = \"a\"\nbackend = \"openai\"\ndialect = \"v2\"\n")
        #expect(dialect?.line == 4)
        #expect(dialect?.key == "session \"a\".dialect")
        let inherited = error("autostart = \"yes\"\n[[session]]\nname = \"a\"\n")
        #expect(inherited?.line == 1)
        #expect(inherited?.key == "session \"a\".autostart")
    }

    @Test func receiveTimeoutIsSecondsOrZeroForNone() throws {
        let config = try parse(
            """
            receive_timeout = 5
            [[session]]
            name = "a"
            [[session]]
            name = "b"
            receive_timeout = 0
            [[session]]
            name = "c"
            receive_timeout = 1.5
            """)
        #expect(config.sessions.map(\.receiveTimeout) == [.seconds(5), nil, .milliseconds(1500)])
        #expect(try parse("[[session]]\nname = \"a\"\n").sessions[0].receiveTimeout == .seconds(30))
        for bad in ["0.5", "-1", "3601", "\"off\""] {
            let found = error("[[session]]\nname = \"a\"\nbackend = \"openai\"\nreceive_timeout = \(bad)\n")
            #expect(found?.line == 4, "\(bad)")
            #expect(found?.key == "session \"a\".receive_timeout")
            #expect(found?.message == "must be a number of seconds from 1 to 3600, or 0 for none")
        }
    }

    @Test func missingKeyEnvironmentVariable() {
        let found = error("[[session]]\nname = \"a\"\nbackend = \"openai\"\napi_key_env = \"NOPE_KEY\"\n")
        #expect(found?.line == 4)
        #expect(found?.message == "environment variable NOPE_KEY is not set")
    }

    @Test func plainWebSocketWithAKeyToARemoteHostIsRefused() {
        let text = "[[session]]\nname = \"a\"\nbackend = \"openai\"\nurl = \"ws://example.com/v1\"\napi_key_env = \"K\"\n"
        let found = error(text, environment: ["K": "sk-secret"])
        #expect(found?.line == 4)
        #expect(found?.message.contains("refusing") == true)
        #expect(found?.description.contains("sk-secret") == false)
        #expect(throws: Never.self) { try parse(text + "allow_insecure = true\n", environment: ["K": "sk-secret"]) }
    }

    @Test func structuralErrors() {
        #expect(error("")?.key == "session")
        #expect(error("[[session]]\nname = \"a\"\n[[session]]\nname = \"a\"\n")?.line == 4)
        #expect(error("[[session]]\nbackend = \"sim\"\n")?.message == "every session needs a name")
        #expect(error("[[session]]\nname = \"a\"\nbackend = \"elevenlabs\"\n")?.message == "an elevenlabs session needs agent_id")
        let syntax = error("[[session]]\nname = \"a\nx = 1\n")
        #expect(syntax?.line == 2)
        #expect(syntax?.message.hasPrefix("not valid TOML") == true)
        let wav = error("[[session]]\nname = \"a\"\naudio = [\"missing.wav\"]\n")
        #expect(wav?.line == 3)
        #expect(wav?.message.hasPrefix("cannot read") == true)
    }
}
