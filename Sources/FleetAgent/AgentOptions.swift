import ConvEngine

/// How an agent listens: its address, TLS, tokens and the bounds on what a client may cost it.
public struct AgentOptions: Sendable {
    public var host: String
    public var port: Int
    /// PEM certificate chain and private key; nil for plain HTTP (loopback, or `--insecure`).
    public var tls: TLSFiles?
    /// Whether every metric series also carries the session's name.
    public var labelSessions = false
    /// Connections open at once; more wait to be accepted.
    public var maxConnections = 64
    /// The largest WebSocket message a watcher may send.
    public var maxMessageBytes = 16 << 10
    /// What may wait for one watcher before its audio is dropped, and before it is cut off.
    public var watchLimits = WatchBacklog.Limits()
    /// How long a watcher cut off for falling behind gets to read the reason before its socket closes.
    public var cutGrace = Duration.seconds(2)
    /// The kernel send buffer of a watcher's socket (Linux doubles it). Fixed rather than grown
    /// by the kernel (to 4 MiB by default): what a stuck watcher holds beyond its queue stays
    /// small, so it loses audio and is cut off within seconds. 256 KiB still carries some
    /// 5 MB/s to a console 50 ms away.
    public var watchSendBuffer = 256 << 10

    /// A PEM certificate chain and its key.
    public struct TLSFiles: Sendable, Equatable {
        public var certificate: String
        public var key: String

        public init(certificate: String, key: String) {
            self.certificate = certificate
            self.key = key
        }
    }

    public init(host: String, port: Int, tls: TLSFiles? = nil) {
        self.host = host
        self.port = port
        self.tls = tls
    }

    /// `HOST:PORT` (`127.0.0.1:7070`, `[::1]:7070`, `0.0.0.0:7070`) as a host and port.
    public static func parseListen(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else { return nil }
        return (host, port)
    }

    /// Why these options may not be used, if they may not: a non-loopback address without TLS
    /// and without `insecure` would send tokens and transcripts in the clear.
    public func securityProblem(insecure: Bool) -> String? {
        guard tls == nil, !insecure, !WebSocketEndpoint.isLoopback(host) else { return nil }
        return "refusing to listen on \(host) without TLS: give --tls-cert and --tls-key, or --insecure"
    }
}
