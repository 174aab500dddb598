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

    /// Which seed files belong to this target, by file extension.
    var seedExtensions: Set<String> {
        switch self {
        case .json, .elevenlabs, .openai: ["json"]
        case .config: ["toml"]
        case .log: ["jsonl"]
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
        }
    }
}
