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

    /// True for names and addresses of this machine.
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        return bare == "localhost" || bare == "::1" || bare.hasPrefix("127.")
    }
}
