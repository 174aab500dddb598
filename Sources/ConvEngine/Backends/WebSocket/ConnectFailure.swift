/// Why a connection could not be made, in words an operator can act on.
///
/// The library's text (`connect(descriptor:addr:size:): Connection refused (errno: 111)`) says
/// what the system call returned; the pane says what that usually means. Texts not recognised
/// are kept as they are.
enum ConnectFailure {
    /// One line: `cannot connect to HOST:PORT: connection refused — is the server running?`,
    /// then the library's own text in brackets when it was put in other words. A pane shows
    /// the line's start; the inspector and the log keep all of it.
    static func describe(host: String, port: Int, detail: String) -> String {
        let name = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let readable = reason(detail)
        return readable == detail ? "cannot connect to \(name): \(detail)" : "cannot connect to \(name): \(readable) [\(detail)]"
    }

    /// The readable reason for a library's failure text.
    static func reason(_ detail: String) -> String {
        let lowered = detail.lowercased()
        for (pattern, reason) in known where lowered.contains(pattern) {
            return reason
        }
        return detail
    }

    /// Fragments of system and SwiftNIO error texts, and what they mean for the operator.
    private static let known: [(String, String)] = [
        ("connection refused", "connection refused — is the server running?"),
        ("connecttimeout", "no answer from the host (a firewall, or the wrong address?)"),
        ("timed out", "no answer from the host (a firewall, or the wrong address?)"),
        ("network is unreachable", "network unreachable — are you online?"),
        ("no route to host", "no route to the host — are you online?"),
        ("name or service not known", "unknown host name — check the url"),
        ("nodename nor servname", "unknown host name — check the url"),
        ("temporary failure in name resolution", "the host name could not be resolved — are you online?"),
        ("connection reset", "connection reset by the server"),
    ]
}
