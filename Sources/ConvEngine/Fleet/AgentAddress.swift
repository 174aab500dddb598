/// Where an agent listens, as an operator names it: `http://`, `https://`, `ws://` or `wss://`
/// and `host:port` (or `host:port` alone, plain), with no path.
public struct AgentAddress: Sendable, Equatable {
    /// `host:port`: the agent's label on every pane and line.
    public let host: String
    /// Reached over TLS (`https://`, `wss://`).
    public let secure: Bool

    /// Nil when `address` is none of the accepted forms.
    public init?(_ address: String) {
        var rest = Substring(address)
        var secure = false
        for (scheme, isSecure) in [("https://", true), ("wss://", true), ("http://", false), ("ws://", false)] where rest.hasPrefix(scheme) {
            rest = rest.dropFirst(scheme.count)
            secure = isSecure
        }
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.isEmpty, !rest.contains("/"), !rest.contains("?") else { return nil }
        host = String(rest)
        self.secure = secure
    }

    /// `ws://host:port` or `wss://host:port`: the base of the watch stream.
    public var webSocketBase: String { (secure ? "wss://" : "ws://") + host }

    /// `http://host:port` or `https://host:port`: the base of the HTTP API.
    public var httpBase: String { (secure ? "https://" : "http://") + host }
}
