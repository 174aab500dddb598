import NIOCore
import NIOSSL

/// TLS for `wss://` connections, verifying servers against the system's trust roots.
enum WebSocketTLS {
    /// One context for every connection: loading the trust roots is too costly to repeat for
    /// each of hundreds of sessions.
    private static let context = Result { try NIOSSLContext(configuration: .makeClientConfiguration()) }

    /// A client handler for a connection to `host`. SNI names the host, unless it is an IP
    /// address, which SNI cannot carry.
    static func clientHandler(host: String) throws -> NIOSSLClientHandler {
        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        return try NIOSSLClientHandler(context: context.get(), serverHostname: isAddress ? nil : host)
    }
}
