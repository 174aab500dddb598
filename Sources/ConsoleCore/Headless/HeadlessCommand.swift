import ConvEngine

/// What one headless stdin line asks for.
package enum HeadlessRequest: Equatable, Sendable {
    /// A live command, carried out by the ``LiveDispatcher`` like the console's keys.
    case live(LiveCommand)
    /// Print the snapshot of the session at this index (0-based).
    case snapshot(session: Int)
    /// Print the turn figures and latency distributions of the session at this index (0-based).
    case metrics(session: Int)
    /// Print every alert firing now.
    case alerts
    /// Print the list of commands.
    case help
    case quit
}

/// Reads headless stdin lines (`stop 2`, `send ava hello there`, `quit`) against the board's
/// session names.
///
/// Parsing is forgiving: the verb in any case, spaces or tabs anywhere between words, a
/// session by number (as shown, 1-based), by name, or by a name in double quotes
/// (`send "a b" hi`). Messages echo what was typed only sanitised.
package struct HeadlessCommand: Sendable {
    /// Session names in board order.
    package let names: [String]

    package init(names: [String]) {
        self.names = names
    }

    /// One verb of the stdin language: its word, what follows it, and what it asks for.
    package struct Verb: Sendable {
        package let word: String
        package let shape: Shape
        package let help: String

        /// What follows the word on the line, and how that becomes a request.
        package enum Shape: Sendable {
            /// Nothing.
            case bare(HeadlessRequest)
            /// A session.
            case session(@Sendable (Int) -> HeadlessRequest)
            /// A session, then text (the rest of the line).
            case sessionText(@Sendable (Int, String) -> HeadlessRequest)
            /// A session, then optionally text (the rest of the line, empty when absent).
            case sessionNote(@Sendable (Int, String) -> HeadlessRequest)
            /// A session, then optionally a call id (empty when absent).
            case sessionCall(@Sendable (Int, String) -> HeadlessRequest)
        }

        package init(_ word: String, _ shape: Shape, _ help: String, text: String = "TEXT") {
            self.word = word
            self.shape = shape
            self.help = help
            self.text = text
        }

        /// How help names the text of a `sessionText` verb.
        private let text: String

        /// How the verb is written in help: `send SESSION TEXT`.
        package var usage: String {
            switch shape {
            case .bare: word
            case .session: word + " SESSION"
            case .sessionText: word + " SESSION " + text
            case .sessionNote: word + " SESSION [" + text + "]"
            case .sessionCall: word + " SESSION [CALL_ID]"
            }
        }
    }

    /// Every verb, in the order `help` lists them.
    package static let verbs: [Verb] = [
        Verb("start", .session { .live(LiveCommand(.start, .session($0))) }, "start a session"),
        Verb("stop", .session { .live(LiveCommand(.stop, .session($0))) }, "stop a session"),
        Verb("restart", .session { .live(LiveCommand(.restart, .session($0))) }, "stop a session and start it again"),
        Verb("send", .sessionText { .live(LiveCommand(.send, .session($0), text: $1)) }, "send a user message"),
        Verb("context", .sessionText { .live(LiveCommand(.context, .session($0), text: $1)) }, "send a contextual update (no answer expected)"),
        Verb(
            "tool", .sessionText { .live(LiveCommand(.tool, .session($0), text: $1)) },
            "answer the oldest pending client tool call, or the one whose id starts the text", text: "[CALL_ID] RESULT"),
        Verb("approve", .sessionCall { .live(LiveCommand(.approve, .session($0), text: $1)) }, "approve the oldest (or that) pending MCP tool call"),
        Verb("deny", .sessionCall { .live(LiveCommand(.deny, .session($0), text: $1)) }, "deny the oldest (or that) pending MCP tool call"),
        Verb("like", .session { .live(LiveCommand(.like, .session($0))) }, "like the latest agent response"),
        Verb("dislike", .session { .live(LiveCommand(.dislike, .session($0))) }, "dislike the latest agent response"),
        Verb("end", .session { .live(LiveCommand(.end, .session($0))) }, "end the conversation"),
        Verb("mark", .sessionNote { .live(LiveCommand(.mark, .session($0), text: $1)) }, "mark the moment in the session's log", text: "NOTE"),
        Verb("activity", .session { .live(LiveCommand(.activity, .session($0))) }, "tell the agent the user is typing (at most once a second)"),
        Verb("start-all", .bare(.live(LiveCommand(.start, .all))), "start every session"),
        Verb("stop-all", .bare(.live(LiveCommand(.stop, .all))), "stop every session"),
        Verb("snapshot", .session { .snapshot(session: $0) }, "print a session's snapshot as one JSON line"),
        Verb("metrics", .session { .metrics(session: $0) }, "print a session's turn figures and latency percentiles as one JSON line"),
        Verb("alerts", .bare(.alerts), "print every alert firing now as one JSON line"),
        Verb("help", .bare(.help), "list the commands"),
        Verb("quit", .bare(.quit), "stop every session, close the logs and exit"),
    ]

    /// The request a line asks for, or why it is not one.
    package func parse(_ line: String) -> Result<HeadlessRequest, HeadlessCommandError> {
        var rest = Substring(line)
        guard let word = Self.word(&rest) else { return .failure(HeadlessCommandError("empty command")) }
        guard let verb = Self.verbs.first(where: { $0.word == word.lowercased() }) else {
            let known = Self.verbs.map(\.word).joined(separator: ", ")
            return .failure(HeadlessCommandError("unknown command \"\(TextSanitizer.sanitize(String(word)))\" (try \(known))"))
        }
        let usage = "usage: \(verb.usage)"
        switch verb.shape {
        case .bare(let request):
            return Self.isBlank(rest) ? .success(request) : .failure(HeadlessCommandError("\(verb.word) takes no arguments"))
        case .session(let make):
            return session(&rest, usage: usage).flatMap { index in
                Self.isBlank(rest) ? .success(make(index)) : .failure(HeadlessCommandError("\(verb.word) takes one session"))
            }
        case .sessionCall(let make):
            return session(&rest, usage: usage).flatMap { index in
                guard let callId = Self.word(&rest) else { return .success(make(index, "")) }
                return Self.isBlank(rest) ? .success(make(index, String(callId))) : .failure(HeadlessCommandError(usage))
            }
        case .sessionText(let make), .sessionNote(let make):
            return session(&rest, usage: usage).flatMap { index in
                let text = rest.drop(while: Self.isSpace)
                if text.isEmpty, case .sessionText = verb.shape { return .failure(HeadlessCommandError(usage)) }
                return .success(make(index, String(text)))
            }
        }
    }

    /// Why some sessions cannot be named on stdin the plain way, one line each: a name that
    /// is a number is taken as a number, and a name with a double quote or a control
    /// character cannot be typed at all. Names with spaces need quotes.
    package func addressWarnings() -> [String] {
        names.enumerated().compactMap { index, name in
            let shown = TextSanitizer.sanitize(name)
            if Int(name) != nil {
                return "session \(index + 1) is named \"\(shown)\", which stdin commands read as session \(shown); address it as \(index + 1)"
            }
            if name.isEmpty || name.contains("\"") || !TextSanitizer.isClean(name) || name.contains("\n") {
                return "session \(index + 1)'s name \"\(shown)\" cannot be typed on stdin; address it as \(index + 1)"
            }
            return nil
        }
    }

    /// Reads a session selector off the front of `rest`: a number, a name, or a quoted name.
    private func session(_ rest: inout Substring, usage: String) -> Result<Int, HeadlessCommandError> {
        rest = rest.drop(while: Self.isSpace)
        let selector: Substring
        if rest.first == "\"" {
            let body = rest.dropFirst()
            guard let close = body.firstIndex(of: "\"") else { return .failure(HeadlessCommandError("unterminated quote in a session name")) }
            selector = body[..<close]
            rest = body[body.index(after: close)...]
            guard rest.isEmpty || rest.first.map(Self.isSpace) == true else {
                return .failure(HeadlessCommandError("a quoted session name must end the word"))
            }
        } else {
            guard let word = Self.word(&rest) else { return .failure(HeadlessCommandError("\(usage) (SESSION: a number or a name)")) }
            selector = word
            if let number = Int(word) {
                // Compared as typed: `number - 1` would trap on Int.min.
                guard number >= 1, number <= names.count else {
                    return .failure(HeadlessCommandError("no session \(number) (1-\(names.count) or a name)"))
                }
                return .success(number - 1)
            }
        }
        if let index = names.firstIndex(where: { $0 == selector }) { return .success(index) }
        return .failure(HeadlessCommandError("no session \"\(TextSanitizer.sanitize(String(selector)))\" (1-\(names.count) or a name)"))
    }

    /// Takes the next word off `rest` (after any spaces); nil at the end of the line.
    private static func word(_ rest: inout Substring) -> Substring? {
        rest = rest.drop(while: isSpace)
        guard !rest.isEmpty else { return nil }
        let end = rest.firstIndex(where: isSpace) ?? rest.endIndex
        defer { rest = rest[end...] }
        return rest[..<end]
    }

    private static func isBlank(_ text: Substring) -> Bool { text.allSatisfy(isSpace) }

    private static func isSpace(_ character: Character) -> Bool { character == " " || character == "\t" || character == "\r" }
}

/// Why a headless line is not a command.
package struct HeadlessCommandError: Error, Equatable, CustomStringConvertible {
    package let message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
