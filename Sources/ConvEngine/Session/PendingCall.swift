/// A call from the agent that waits for this side: a client tool call not answered yet, or an
/// MCP tool call awaiting the user's approval.
public struct PendingCall: Sendable, Equatable {
    public var callId: String
    public var name: String
    public var arguments: String

    public init(callId: String, name: String, arguments: String) {
        self.callId = callId
        self.name = name
        self.arguments = arguments
    }

    /// Its form in the headless snapshot.
    var json: JSONValue {
        .object([("call_id", .string(callId)), ("name", .string(name)), ("arguments", .string(arguments))])
    }
}
