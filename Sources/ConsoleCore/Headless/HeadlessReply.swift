import ConvEngine

/// The stdout records that answer headless stdin lines: every command gets an `ack` or a
/// `command_error` naming its line (stdin lines counted from 1, blank ones included); a
/// `send` that was acknowledged still ends in its `user_message` event or a `command_error`.
package enum HeadlessReply {
    /// `{"type":"ack","line":3,"command":"send","session":2,"name":"ava"}`; `session` and
    /// `name` only for a command about one session.
    package static func ack(line: Int, _ request: HeadlessRequest, names: [String]) -> JSONValue {
        var fields: [(String, JSONValue)] = [("type", .string("ack")), ("line", .int(line)), ("command", .string(word(request)))]
        if let index = session(request), names.indices.contains(index) {
            fields += [("session", .int(index + 1)), ("name", .string(TextSanitizer.sanitize(names[index])))]
        }
        return .object(fields)
    }

    /// `{"type":"command_error","line":3,"message":"…"}`.
    package static func commandError(line: Int, _ message: String) -> JSONValue {
        .object([("type", .string("command_error")), ("line", .int(line)), ("message", .string(TextSanitizer.sanitize(message)))])
    }

    /// `{"type":"help","commands":[{"usage":"send SESSION TEXT","help":"…"},…]}`.
    package static var help: JSONValue {
        .object([
            ("type", .string("help")),
            (
                "commands",
                .array(HeadlessCommand.verbs.map { .object([("usage", .string($0.usage)), ("help", .string($0.help))]) })
            ),
        ])
    }

    /// The headless word of a request (`stop-all` for a stop of every session).
    private static func word(_ request: HeadlessRequest) -> String {
        switch request {
        case .live(let command): command.verb.rawValue + (command.target == .all ? "-all" : "")
        case .snapshot: "snapshot"
        case .metrics: "metrics"
        case .alerts: "alerts"
        case .help: "help"
        case .quit: "quit"
        }
    }

    private static func session(_ request: HeadlessRequest) -> Int? {
        switch request {
        case .live(let command):
            if case .session(let index) = command.target { index } else { nil }
        case .snapshot(let index), .metrics(let index): index
        case .help, .quit, .alerts: nil
        }
    }
}
