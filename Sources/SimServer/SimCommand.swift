/// Test hooks: a user text starting with `/sim` asks the simulator for one specific behaviour,
/// so that integration tests (and curious operators) can trigger it deterministically.
enum SimCommand: Equatable {
    /// An agent turn whose audio is interrupted, followed by one stale chunk.
    case interrupt
    /// A client tool call; the answer quotes the tool's result.
    case tool
    /// ElevenLabs: an MCP tool call awaiting the user's approval.
    case mcp
    /// A non-fatal error event, then a normal turn.
    case error
    /// Close the socket with this code.
    case close(Int)
    /// OpenAI: `session_expired`, then close 1001.
    case expire
    /// ElevenLabs: a reply streamed as parts, then a correction.
    case parts

    /// The command in `text`, if it is one.
    init?(_ text: String) {
        let words = text.split(separator: " ")
        guard words.first == "/sim", words.count >= 2 else { return nil }
        switch words[1] {
        case "interrupt": self = .interrupt
        case "tool": self = .tool
        case "mcp": self = .mcp
        case "error": self = .error
        case "expire": self = .expire
        case "parts": self = .parts
        case "close": self = .close(words.count > 2 ? Int(words[2]) ?? 1000 : 1000)
        default: return nil
        }
    }
}
