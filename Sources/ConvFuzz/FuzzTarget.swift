import ConsoleCore
import ConvEngine
import Foundation

/// A parser under fuzzing: takes any bytes, must return (throwing is fine) without crashing
/// or hanging.
enum FuzzTarget: String, CaseIterable, Sendable {
    case json
    case elevenlabs
    case openai
    case config
    case log
    /// Server frames (one per line) through the ElevenLabs conversation and into the reducer,
    /// three times over: hostile numbers must saturate, not trap, in a session's sums.
    case elevenlabsSession = "elevenlabs-session"
    /// The same for the OpenAI Realtime conversation.
    case openaiSession = "openai-session"
    /// Headless stdin: bytes cut into capped lines, each parsed and answered (`ack` or
    /// `command_error`) as `--headless` does; selectors are hostile numbers and names.
    case headless

    /// Which seed files belong to this target, by file extension.
    var seedExtensions: Set<String> {
        switch self {
        case .json, .elevenlabs, .openai, .elevenlabsSession, .openaiSession: ["json"]
        case .config: ["toml"]
        case .log: ["jsonl"]
        case .headless: ["txt"]
        }
    }

    /// Feeds one input to the parser. `scratchPath` is a file the log target may overwrite.
    func run(_ input: [UInt8], scratchPath: String) {
        switch self {
        case .json:
            _ = try? JSONParser.parse(input)
        case .elevenlabs:
            _ = try? ElevenLabsCodec.decode(String(decoding: input, as: UTF8.self))
        case .openai:
            _ = try? OpenAIRealtimeCodec.decode(String(decoding: input, as: UTF8.self))
        case .config:
            _ = try? ConsoleConfig.parse(String(decoding: input, as: UTF8.self), path: scratchPath, environment: [:])
        case .log:
            // Both readers take a path, so the input goes through a file, as a real log would.
            guard FileManager.default.createFile(atPath: scratchPath, contents: Data(input)) else {
                fatalError("cannot write \(scratchPath)")
            }
            _ = try? SessionLogReader.read(path: scratchPath)
            _ = try? ReplayIndex.build(path: scratchPath)
        case .elevenlabsSession:
            var conversation = ElevenLabsConversation(options: ElevenLabsOptions(agentId: "fuzz"))
            fold(input) { conversation.receive($0).events }
        case .openaiSession:
            var conversation = OpenAIRealtimeConversation(options: OpenAIRealtimeOptions())
            fold(input) { conversation.receive($0).events }
        case .headless:
            let names = ["ava", "lina", "a b", "1"]
            let commands = HeadlessCommand(names: names)
            // A small cap, so that the fuzzer reaches the over-long path too.
            var lines = InputLines(maximumLength: 256)
            var number = 0
            var reply: [UInt8] = []
            for line in lines.feed(input) + [lines.finish()].compactMap({ $0 }) {
                number += 1
                guard case .text(let text) = line else { continue }
                switch commands.parse(text) {
                case .success(let request): JSONWriter.write(HeadlessReply.ack(line: number, request, names: names), into: &reply)
                case .failure(let error): JSONWriter.write(HeadlessReply.commandError(line: number, error.message), into: &reply)
                }
                reply.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Feeds each line of `input` as a frame, three times over, and folds every event (cut as a
    /// session cuts it) into one session's state, as a live session does.
    private func fold(_ input: [UInt8], _ receive: (String) -> [SessionEvent.Kind]) {
        var state = SessionState(backend: rawValue)
        state.apply(SessionEvent(offset: 0, run: 1, kind: .runStarted(backend: rawValue)))
        let frames = input.split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }
        for _ in 0..<3 {
            for frame in frames {
                for kind in receive(frame) { state.apply(SessionEvent(offset: 1, run: 1, kind: kind.cappingText())) }
            }
        }
    }
}
