/// One line command read from stdin in headless mode.
enum HeadlessCommand: Equatable {
    case start(String)
    case stop(String)
    case restart(String)
    case send(String, text: String)
    case startAll
    case stopAll
    case snapshot(String)
    case quit

    /// Reads a line such as `stop 2`, `send ava hello there` or `quit`.
    /// Returns a message for the user when the line is not a command.
    static func parse(_ line: String) -> Result<HeadlessCommand, HeadlessCommandError> {
        let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
        let parts = trimmed.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard let verb = parts.first else { return .failure(HeadlessCommandError("empty command")) }
        func target() -> Result<String, HeadlessCommandError> {
            parts.count >= 2 ? .success(String(parts[1])) : .failure(HeadlessCommandError("\(verb): which session? (a number or a name)"))
        }
        func noArguments(_ command: HeadlessCommand) -> Result<HeadlessCommand, HeadlessCommandError> {
            parts.count == 1 ? .success(command) : .failure(HeadlessCommandError("\(verb) takes no arguments"))
        }
        func single(_ make: (String) -> HeadlessCommand) -> Result<HeadlessCommand, HeadlessCommandError> {
            guard parts.count <= 2 else { return .failure(HeadlessCommandError("\(verb) takes one session")) }
            return target().map(make)
        }
        switch verb {
        case "start": return single(HeadlessCommand.start)
        case "stop": return single(HeadlessCommand.stop)
        case "restart": return single(HeadlessCommand.restart)
        case "snapshot": return single(HeadlessCommand.snapshot)
        case "start-all": return noArguments(.startAll)
        case "stop-all": return noArguments(.stopAll)
        case "quit": return noArguments(.quit)
        case "send":
            guard parts.count == 3 else { return .failure(HeadlessCommandError("usage: send SESSION TEXT")) }
            return .success(.send(String(parts[1]), text: String(parts[2])))
        default:
            return .failure(
                HeadlessCommandError(
                    "unknown command \"\(verb)\" (try start, stop, restart, send, start-all, stop-all, snapshot, quit)"))
        }
    }
}

/// Why a headless line is not a command.
struct HeadlessCommandError: Error, Equatable, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
