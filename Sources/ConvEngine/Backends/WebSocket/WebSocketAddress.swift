import Foundation

/// What a connection needs from a `ws://` or `wss://` URL: where to connect, whether to speak
/// TLS, and the request line's target.
struct WebSocketAddress: Sendable, Equatable {
    let host: String
    let port: Int
    let secure: Bool
    /// The path and query, as sent in the request line.
    let requestTarget: String
    /// The `Host` header: the host, with the port when the URL names one.
    let hostHeader: String

    /// Fails without repeating the URL: a signed URL carries its token in the query.
    init(url: String) throws(TransportError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw TransportError("invalid WebSocket URL")
        }
        switch scheme {
        case "ws", "http": secure = false
        case "wss", "https": secure = true
        default: throw TransportError("unsupported URL scheme \(scheme)://")
        }
        self.host = host
        port = components.port ?? (secure ? 443 : 80)
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        requestTarget = path + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
        // An IPv6 address needs its brackets back in the header.
        let name = host.contains(":") ? "[\(host)]" : host
        hostHeader = components.port.map { "\(name):\($0)" } ?? name
    }
}
