import Foundation
import TOMLKit

/// A console config file: the sessions to run (`[[session]]` tables), with defaults taken
/// from top-level keys and a `[defaults]` table, and agents whose sessions the console shows
/// beside them (`[[remote]]`). See docs/config.md.
public struct ConsoleConfig: Sendable, Equatable {
    public let path: String
    public var sessions: [SessionConfig]
    /// Agents to attach to (`[[remote]]`), in the file's order.
    public var remotes: [RemoteConfig] = []
    /// The alert rules (`[alerts]`), the defaults when the file has none.
    public var alerts = AlertRules()

    /// Keys a session (or the defaults) may set.
    static let sessionKeys: Set<String> = [
        "name", "backend", "url", "agent_id", "model", "api_key_env", "dialect", "script", "audio", "chunk_ms",
        "autostart", "record_dir", "reconnect", "reconnect_max_tries", "receive_timeout", "allow_insecure", "first_message", "prompt",
        "language", "voice", "text_only", "user_id", "tools", "dynamic_variables", "manual_tools", "auto_approve", "modalities", "turn_detection", "persona", "seed", "pace",
        "trailing_silence_ms", "audio_idle", "interrupt_response",
    ]

    /// True for a plausible environment variable name (`OPENAI_API_KEY`): what is not, such as
    /// `sk-…`, may be a key and is never shown.
    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || ("A"..."Z").contains(first) || ("a"..."z").contains(first) else { return false }
        return name.count <= 128 && name.unicodeScalars.allSatisfy { $0 == "_" || ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }

    /// Reads and checks `path`; keys come from `environment`, WAV paths are relative to the file.
    public static func load(path: String, environment: [String: String]) throws(ConfigError) -> ConsoleConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, line: nil, key: nil, message: "cannot read the file")
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path, environment: environment)
    }

    /// Checks config text; `path` names it in errors and anchors relative WAV paths.
    public static func parse(_ text: String, path: String, environment: [String: String]) throws(ConfigError) -> ConsoleConfig {
        if let (line, problem) = TOMLAssertionGuard.firstAssertingConstruct(in: text) {
            throw ConfigError(file: path, line: line, key: nil, message: "not valid TOML: \(problem)")
        }
        let root: JSONValue
        do {
            root = Self.json(try TOMLTable(string: text))
        } catch let error as TOMLParseError {
            throw ConfigError(file: path, line: error.source.begin.line, key: nil, message: "not valid TOML: \(error.description)")
        } catch {
            throw ConfigError(file: path, line: nil, key: nil, message: "not valid TOML: \(error)")
        }
        var reader = ConfigReader(path: path, lines: TOMLKeyLines(text), environment: environment)
        let remotes = try reader.remotes(root)
        return ConsoleConfig(path: path, sessions: try reader.sessions(root, required: remotes.isEmpty), remotes: remotes, alerts: try reader.alerts(root))
    }

    /// TOMLKit's values as the engine's neutral JSON values (dates become strings).
    static func json(_ value: any TOMLValueConvertible) -> JSONValue {
        if let table = value.table {
            return .object(table.keys.sorted().compactMap { key in table[key].map { (key, json($0)) } })
        }
        if let array = value.array { return .array(array.map { json($0) }) }
        if let string = value.string { return .string(string) }
        if let bool = value.bool { return .bool(bool) }
        if let int = value.int { return .int(int) }
        if let double = value.double { return .number(double) }
        return .string(value.debugDescription)
    }
}

/// Turns the parsed tables into ``SessionConfig``s, with errors that name file, line and key.
struct ConfigReader {
    let path: String
    let lines: TOMLKeyLines
    let environment: [String: String]

    private func fail(_ section: String, _ key: String?, _ label: String, _ message: String) -> ConfigError {
        ConfigError(file: path, line: lines.line(of: key, in: section), key: key.map { "\(label).\($0)" } ?? label, message: message)
    }

    /// The `[[session]]` tables; at least one when `required` (a config without agents).
    mutating func sessions(_ root: JSONValue, required: Bool) throws(ConfigError) -> [SessionConfig] {
        guard case .object(let top) = root else { return [] }
        var defaults: [(String, JSONValue)] = []
        for (key, value) in top where key != "session" && key != "defaults" && key != "alerts" && key != "remote" {
            guard ConsoleConfig.sessionKeys.contains(key), key != "name" else {
                throw fail("", key, "top level", "unknown key (expected [[session]], [[remote]], [defaults], [alerts] or a session key)")
            }
            defaults.append((key, value))
        }
        if let table = root["defaults"] {
            guard case .object(let members) = table else { throw fail("", "defaults", "top level", "must be a table") }
            for (key, value) in members {
                guard ConsoleConfig.sessionKeys.contains(key), key != "name" else { throw fail("defaults", key, "defaults", "unknown key") }
                defaults.removeAll { $0.0 == key }
                defaults.append((key, value))
            }
        }
        let list = root["session"]?.arrayValue ?? []
        if list.isEmpty, required {
            throw ConfigError(file: path, line: nil, key: "session", message: "no sessions: add at least one [[session]] or [[remote]] table")
        }
        var result: [SessionConfig] = []
        for (index, table) in list.enumerated() {
            let config = try session(table, index: index, defaults: defaults)
            if result.contains(where: { $0.name == config.name }) {
                throw fail("session#\(index)", "name", "session[\(index + 1)]", "duplicate session name \"\(config.name)\"")
            }
            result.append(config)
        }
        return result
    }

    /// The `[[remote]]` tables: agents whose sessions the console shows beside its own.
    func remotes(_ root: JSONValue) throws(ConfigError) -> [RemoteConfig] {
        guard let value = root["remote"] else { return [] }
        guard let list = value.arrayValue else { throw fail("", "remote", "top level", "must be an array of tables ([[remote]])") }
        var result: [RemoteConfig] = []
        for (index, table) in list.enumerated() {
            let section = "remote#\(index)"
            let label = "remote[\(index + 1)]"
            guard case .object(let members) = table else { throw fail(section, nil, label, "must be a table") }
            for (key, _) in members where !RemoteConfig.keys.contains(key) {
                throw fail(section, key, label, "unknown key (expected \(RemoteConfig.keys.sorted().joined(separator: ", ")))")
            }
            guard let url = table["url"]?.stringValue else { throw fail(section, "url", label, "url is missing or not a string") }
            guard let address = AgentAddress(url) else {
                throw fail(section, "url", label, "not an agent URL (http://HOST:PORT, https://…, ws://… or wss://…)")
            }
            var variable = "CONVTUI_TOKEN"
            if let named = table["token_env"] {
                guard let name = named.stringValue, ConsoleConfig.isEnvironmentName(name) else {
                    throw fail(section, "token_env", label, "must name an environment variable")
                }
                variable = name
            }
            guard let token = environment[variable], !token.isEmpty else {
                throw fail(section, table["token_env"] == nil ? "url" : "token_env", label, "environment variable \(variable) (the agent's token) is not set")
            }
            var insecure = false
            if let flag = table["insecure"] {
                guard let value = flag.boolValue else { throw fail(section, "insecure", label, "must be true or false") }
                insecure = value
            }
            if result.contains(where: { $0.address.host == address.host }) {
                throw fail(section, "url", label, "agent \(address.host) is listed twice")
            }
            result.append(RemoteConfig(address: address, token: Secret(token), insecure: insecure))
        }
        return result
    }

    /// The `[alerts]` table's rules (the defaults without one).
    func alerts(_ root: JSONValue) throws(ConfigError) -> AlertRules {
        guard let table = root["alerts"] else { return AlertRules() }
        return try AlertRules.parse(table) { key, message in fail("alerts", key, "alerts", message) }
    }

    private func session(_ table: JSONValue, index: Int, defaults: [(String, JSONValue)]) throws(ConfigError) -> SessionConfig {
        let section = "session#\(index)"
        guard case .object(let members) = table else { throw fail(section, nil, "session[\(index + 1)]", "must be a table") }
        var label = "session[\(index + 1)]"
        if let name = table["name"]?.stringValue { label = "session \"\(TextSanitizer.sanitize(name))\"" }
        for (key, _) in members where !ConsoleConfig.sessionKeys.contains(key) {
            throw fail(section, key, label, "unknown key")
        }
        /// The session's value for `key`, else the default's, with where it came from.
        func value(_ key: String) -> (JSONValue, String)? {
            if let own = table[key] { return (own, section) }
            if let inherited = defaults.last(where: { $0.0 == key }) {
                return (inherited.1, lines.line(of: key, in: "defaults") != nil ? "defaults" : "")
            }
            return nil
        }
        func string(_ key: String) throws(ConfigError) -> String? {
            guard let (v, where_) = value(key) else { return nil }
            guard let s = v.stringValue else { throw fail(where_, key, label, "must be a string") }
            return s
        }
        func bool(_ key: String) throws(ConfigError) -> Bool? {
            guard let (v, where_) = value(key) else { return nil }
            guard let b = v.boolValue else { throw fail(where_, key, label, "must be true or false") }
            return b
        }
        func number(_ key: String, in range: ClosedRange<Double>) throws(ConfigError) -> Double? {
            guard let (v, where_) = value(key) else { return nil }
            guard let d = v.doubleValue, range.contains(d) else {
                throw fail(where_, key, label, "must be a number from \(range.lowerBound) to \(range.upperBound)")
            }
            return d
        }

        guard let name = try string("name"), !name.isEmpty else { throw fail(section, "name", label, "every session needs a name") }
        let backendName = try string("backend") ?? "sim"
        guard let backend = SessionConfig.Backend(rawValue: backendName) else {
            throw fail(value("backend")?.1 ?? section, "backend", label, "unknown backend \"\(TextSanitizer.sanitize(backendName))\" (sim, elevenlabs or openai)")
        }
        var config = SessionConfig(name: TextSanitizer.sanitize(name), backend: backend)
        config.url = try string("url")
        config.agentId = try string("agent_id")
        config.model = try string("model")
        if backend == .elevenlabs, config.agentId == nil { throw fail(section, "agent_id", label, "an elevenlabs session needs agent_id") }
        if let env = try string("api_key_env") {
            // A key pasted where its variable's name belongs must not be echoed back.
            guard ConsoleConfig.isEnvironmentName(env) else {
                throw fail(value("api_key_env")?.1 ?? section, "api_key_env", label,
                    "must name an environment variable (letters, digits, _), not hold the key itself; the value is not shown")
            }
            guard let key = environment[env], !key.isEmpty else {
                throw fail(value("api_key_env")?.1 ?? section, "api_key_env", label, "environment variable \(env) is not set")
            }
            config.apiKeyEnv = env
            config.apiKey = Secret(key)
        }
        if let dialect = try string("dialect") {
            guard let parsed = RealtimeDialect(rawValue: dialect) else { throw fail(value("dialect")!.1, "dialect", label, "must be \"ga\" or \"beta\"") }
            config.dialect = parsed
        }
        config.chunkMilliseconds = Int(try number("chunk_ms", in: 20...250) ?? 100)
        config.autostart = try bool("autostart") ?? true
        config.recordDir = try string("record_dir")
        if try bool("reconnect") == true {
            config.reconnect = ReconnectPolicy(maxAttempts: Int(try number("reconnect_max_tries", in: 1...100) ?? 5))
        }
        if let (v, where_) = value("receive_timeout") {
            guard let seconds = v.doubleValue, seconds == 0 || (1...3600).contains(seconds) else {
                throw fail(where_, "receive_timeout", label, "must be a number of seconds from 1 to 3600, or 0 for none")
            }
            config.receiveTimeout = seconds == 0 ? nil : .milliseconds(Int64(seconds * 1000))
        }
        config.allowInsecure = try bool("allow_insecure") ?? false
        config.firstMessage = try string("first_message")
        config.prompt = try string("prompt")
        config.language = try string("language")
        config.voice = try string("voice")
        config.textOnly = try bool("text_only") ?? false
        config.userId = try string("user_id")
        config.persona = try string("persona")
        if let persona = config.persona, Persona.named(persona) == nil {
            throw fail(value("persona")!.1, "persona", label, "unknown persona (\(Persona.all.map(\.name).joined(separator: ", ")))")
        }
        config.seed = UInt64(try number("seed", in: 0...9.0e15) ?? 1)
        config.pace = try number("pace", in: 0.01...100) ?? 1
        if let (v, where_) = value("modalities") {
            guard let list = v.arrayValue?.compactMap(\.stringValue), list.count == v.arrayValue?.count,
                list.allSatisfy({ $0 == "audio" || $0 == "text" }), !list.isEmpty
            else { throw fail(where_, "modalities", label, "must be [\"audio\"] or [\"text\"]") }
            config.modalities = list
        }
        if let detection = try string("turn_detection") {
            switch detection {
            case "server_vad": config.serverVAD = true
            case "none": config.serverVAD = false
            default: throw fail(value("turn_detection")!.1, "turn_detection", label, "must be \"server_vad\" or \"none\"")
            }
        }
        config.interruptResponse = try bool("interrupt_response") ?? true
        if let ms = try number("trailing_silence_ms", in: 0...10000) { config.trailingSilenceMilliseconds = Int(ms) }
        if let idle = try string("audio_idle") {
            switch idle {
            case "none": config.openMicrophone = false
            case "silence": config.openMicrophone = true
            default: throw fail(value("audio_idle")!.1, "audio_idle", label, "must be \"none\" or \"silence\"")
            }
        }
        if let (v, where_) = value("tools") {
            guard case .object(let tools) = v else { throw fail(where_, "tools", label, "must be a table of tool name = result") }
            for (tool, result) in tools {
                guard let text = result.stringValue else { throw fail(where_ == section ? section + ".tools" : where_, tool, label + ".tools", "must be a string") }
                config.tools[tool] = text
            }
        }
        if let (v, where_) = value("dynamic_variables") {
            guard case .object(let variables) = v else { throw fail(where_, "dynamic_variables", label, "must be a table of name = value") }
            for (name, variable) in variables {
                switch variable {
                case .string(let text): config.dynamicVariables[name] = .string(TextSanitizer.sanitize(text))
                case .number, .bool: config.dynamicVariables[name] = variable
                default:
                    throw fail(where_ == section ? section + ".dynamic_variables" : where_, name, label + ".dynamic_variables", "must be a string, number or boolean")
                }
            }
        }
        for key in ["manual_tools", "auto_approve"] {
            guard let (v, where_) = value(key) else { continue }
            guard let list = v.arrayValue, list.allSatisfy({ $0.stringValue != nil }) else { throw fail(where_, key, label, "must be a list of tool names") }
            let names = Set(list.compactMap(\.stringValue))
            if key == "manual_tools" { config.manualTools = names } else { config.autoApprove = names }
        }
        config.script = try script(value("script"), audio: value("audio"), label: label, rate: config.audioRate)
        if let url = config.url {
            guard url.hasPrefix("ws://") || url.hasPrefix("wss://") || url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw fail(value("url")!.1, "url", label, "must start with wss:// (or ws:// for a local server)")
            }
            if let problem = WebSocketEndpoint.portProblem(url) { throw fail(value("url")!.1, "url", label, problem) }
            if config.apiKey != nil {
                do {
                    try WebSocketEndpoint(url: url, carriesCredential: true).checkSecurity(allowInsecure: config.allowInsecure)
                } catch {
                    throw fail(value("url")!.1, "url", label, error.message)
                }
            }
        }
        return config
    }

    private func script(_ text: (JSONValue, String)?, audio: (JSONValue, String)?, label: String, rate: Int) throws(ConfigError) -> [ScriptStep] {
        var steps: [ScriptStep] = []
        for (entry, key) in [(text, "script"), (audio, "audio")] {
            guard let (list, section) = entry else { continue }
            guard let items = list.arrayValue else { throw fail(section, key, label, "must be an array") }
            for item in items {
                var delay = 2.0
                var say: String?
                var file: String?
                if let s = item.stringValue {
                    if key == "script" { say = s } else { file = s }
                } else if case .object = item {
                    if let d = item["delay"] {
                        guard let seconds = d.doubleValue, seconds >= 0, seconds <= 3600 else {
                            throw fail(section, key, label, "delay must be a number of seconds from 0 to 3600")
                        }
                        delay = seconds
                    }
                    say = item["text"]?.stringValue
                    file = item["file"]?.stringValue ?? item["audio"]?.stringValue
                }
                let wait = Duration.milliseconds(Int64(delay * 1000))
                if let say {
                    steps.append(ScriptStep(delay: wait, action: .text(TextSanitizer.sanitize(say))))
                } else if let file {
                    steps.append(ScriptStep(delay: wait, action: .audio(try loadWAV(file, section: section, key: key, label: label, rate: rate), file: file)))
                } else {
                    throw fail(section, key, label, "each entry is a string or a table with text (script) or file (audio), and an optional delay")
                }
            }
        }
        return steps
    }

    private func loadWAV(_ file: String, section: String, key: String, label: String, rate: Int) throws(ConfigError) -> AudioChunk {
        let directory = (path as NSString).deletingLastPathComponent
        let full = file.hasPrefix("/") || directory.isEmpty ? file : directory + "/" + file
        guard let data = FileManager.default.contents(atPath: full) else { throw fail(section, key, label, "cannot read \(full)") }
        do {
            return Resampler.convert(try WAVFile.decode([UInt8](data)), to: rate)
        } catch {
            throw fail(section, key, label, "\(full): \(error.message)")
        }
    }
}
