import Foundation
import HTTPTypes

/// Where a transport connects, with the headers it sends, and the rules it must pass first.
///
/// Header values may hold keys: nothing here prints them. ``description`` shows the URL
/// without its user info and query (a signed URL's token lives there), and header values only
/// for headers that hold no credential.
public struct WebSocketEndpoint: Sendable, CustomStringConvertible {
    public let url: String
    public let headers: HTTPFields
    /// True when a header (or the URL) carries a credential.
    public let carriesCredential: Bool

    public init(url: String, headers: HTTPFields = [:], carriesCredential: Bool = false) {
        self.url = url
        self.headers = headers
        self.carriesCredential = carriesCredential
    }

    public var description: String {
        let names = headers.map { field in
            "\(field.name.rawName): \(Self.secretHeaders.contains(field.name.canonicalName) ? "<redacted>" : TextSanitizer.sanitize(field.value))"
        }
        let base = Self.displayURL(url)
        return names.isEmpty ? base : "\(base) [\(names.joined(separator: ", "))]"
    }

    /// Headers whose values are credentials; any other header is shown as it is.
    static let secretHeaders: Set<String> = ["authorization", "proxy-authorization", "xi-api-key", "api-key", "cookie", "openai-api-key"]

    /// `url` as it may be shown or logged: without user info (`user:password@`) and without
    /// its query (a signed URL's token lives there).
    public static func displayURL(_ url: String) -> String {
        let base = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        guard let schemeEnd = base.range(of: "://") else { return base }
        let rest = base[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return base }
        return String(base[..<schemeEnd.upperBound]) + rest[rest.index(after: at)...]
    }

    /// Refuses plain `ws://` (or `http://`) to a host other than this machine when a credential
    /// would travel in clear text, unless explicitly allowed.
    public func checkSecurity(allowInsecure: Bool) throws(TransportError) {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), let host = parsed.host else {
            throw TransportError("invalid URL \(description)")
        }
        switch scheme {
        case "wss", "https": return
        case "ws", "http":
            if !carriesCredential || allowInsecure || Self.isLoopback(host) { return }
            throw TransportError(
                "refusing to send a key over plain \(scheme):// to \(host); use wss:// or set allow_insecure = true")
        default:
            throw TransportError("unsupported URL scheme \(scheme)://")
        }
    }

    /// A base URL as users write it, without its trailing slash, ready for a path.
    static func base(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    /// `base` with `path` added to its path and `query` to its query. A base URL may carry a
    /// query of its own (`wss://host/v1?api-version=2`): it stays the query instead of
    /// swallowing the path. A fragment is dropped (it never reaches a server).
    static func joining(_ base: String, path: String, query: String) -> String {
        var head = Substring(base)
        if let hash = head.firstIndex(of: "#") { head = head[..<hash] }
        var queries: [Substring] = []
        if let mark = head.firstIndex(of: "?") {
            queries.append(head[head.index(after: mark)...])
            head = head[..<mark]
        }
        if head.hasSuffix("/") { head = head.dropLast() }
        queries.append(Substring(query))
        return head + path + "?" + queries.filter { !$0.isEmpty }.joined(separator: "&")
    }

    /// What is wrong with the port of `url` (`ws://host:99999`), or nil when it has none or
    /// one from 1 to 65535. Checked before connecting: an out-of-range port was taken modulo
    /// 65536 and reached another port.
    public static func portProblem(_ url: String) -> String? {
        guard let scheme = url.range(of: "://") else { return nil }
        var authority = url[scheme.upperBound...]
        if let end = authority.firstIndex(where: { "/?#".contains($0) }) { authority = authority[..<end] }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if let bracket = authority.lastIndex(of: "]") { authority = authority[authority.index(after: bracket)...] }
        guard let colon = authority.lastIndex(of: ":") else { return nil }
        let digits = authority[authority.index(after: colon)...]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), digits.count <= 5, let port = Int(digits),
            (1...65535).contains(port)
        else { return "the port must be a number from 1 to 65535" }
        return nil
    }

    /// True for names and addresses of this machine.
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        return bare == "localhost" || bare == "::1" || bare.hasPrefix("127.")
    }
}
