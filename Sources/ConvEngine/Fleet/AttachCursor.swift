/// Where `convtui attach` stands in one agent's watch stream: the agent instance it follows and
/// the next sequence number it wants, so a reconnect resumes with no event lost and none twice.
///
/// Pure: lines in, lines to print out. A new agent instance (a restarted agent numbers its
/// events from 1 again) means starting over from 1, said in an `agent_restarted` line.
public struct AttachCursor: Sendable, Equatable {
    /// The agent's label in every printed line (`host:port`).
    public let host: String
    /// The agent instance of the last hello line.
    public private(set) var agent: String?
    /// The next sequence number wanted; nil until the first hello of a stream started without one.
    public private(set) var next: Int?
    /// Sessions whose log header was printed for this instance (a reconnect repeats them).
    private var headersPrinted: Set<Int> = []

    /// What one received line means.
    public enum Step: Sendable, Equatable {
        case print([UInt8])
        case skip
        /// Another agent instance answered: print the line, then reconnect from ``next`` (1).
        case startOver([UInt8])
    }

    /// - Parameter from: the first sequence number wanted (1: everything the agent still
    ///   holds, as a console does to fill its panes); nil: only what comes next.
    public init(host: String, from: Int? = nil) {
        self.host = host
        next = from
    }

    /// The query of the next connection: resume from ``next``, or start with the next new event.
    /// Starting from 1 (filling panes) takes only what the agent holds in memory (`logs=0`), so
    /// attaching to a long-running agent is quick; a resume also gets what only its logs still
    /// hold, so a reconnect misses nothing.
    public var watchQuery: String {
        next.map { "?from=\($0)" + ($0 == 1 ? "&logs=0" : "") } ?? ""
    }

    /// ``watchQuery``, asking for several lines to a message when `batched` (`batch=1`).
    public func watchQuery(batched: Bool) -> String {
        guard batched else { return watchQuery }
        return watchQuery + (next == nil ? "?" : "&") + "batch=1"
    }

    /// Handles one message of the watch stream.
    public mutating func take(_ bytes: [UInt8]) -> Step {
        guard bytes.count > 2, let value = try? JSONParser.parse(bytes), case .object = value else { return .skip }
        if let sequence = value["seq"]?.intValue {
            if let next, sequence < next { return .skip }
            next = sequence + 1
            return .print(withHost(bytes))
        }
        if value["type"]?.stringValue == "watch" {
            let instance = value["agent"]?.stringValue ?? ""
            if let agent, agent != instance {
                self.agent = instance
                next = 1
                headersPrinted = []
                return .startOver(note("agent_restarted", [("agent", .string(instance))]))
            }
            agent = instance
            if next == nil { next = value["next"]?.intValue }
            return .print(
                note("host_connected", [("agent", .string(instance)), ("from", .int(next ?? 1)), ("missed", value["missed"] ?? .int(0))]))
        }
        if value["format"]?.stringValue == "convtui-session-log", let session = value["session"]?.intValue {
            return headersPrinted.insert(session).inserted ? .print(withHost(bytes)) : .skip
        }
        return .print(withHost(bytes))
    }

    /// The line printed when the agent cannot be reached or its connection is lost.
    public func unreachable(reason: String) -> [UInt8] {
        note("host_unreachable", [("reason", .string(TextSanitizer.sanitize(reason)))])
    }

    private func note(_ type: String, _ fields: [(String, JSONValue)]) -> [UInt8] {
        var out: [UInt8] = []
        JSONWriter.write(.object([("type", .string(type)), ("host", .string(host))] + fields), into: &out)
        return out
    }

    /// `{"host":"…",` followed by the line's own members.
    private func withHost(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.append(contentsOf: #""host":"#.utf8)
        JSONWriter.writeString(host, into: &out)
        out.append(UInt8(ascii: ","))
        out.append(contentsOf: bytes.dropFirst())
        return out
    }
}
