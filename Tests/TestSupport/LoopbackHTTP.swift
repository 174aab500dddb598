import Foundation
import Glibc

/// A minimal HTTP/1.1 client for loopback tests (no HTTP client library is a dependency): one request per connection
/// (`Connection: close`), the whole response read back.
public struct LoopbackHTTP {
    public struct Reply: Sendable {
        public let status: Int
        public let headers: [String: String]
        public let body: String
    }

    public let port: Int
    public var token: String?

    public init(port: Int, token: String? = nil) {
        self.port = port
        self.token = token
    }

    public func get(_ path: String) async throws -> Reply {
        try await request("GET", path)
    }

    public func post(_ path: String, body: String = "") async throws -> Reply {
        try await request("POST", path, body: Array(body.utf8))
    }

    /// The blocking socket calls run on a thread of their own: on the cooperative pool, or on
    /// Dispatch's global pool (which Swift's tasks share on Linux), three requests at once
    /// starved the in-process server's own tasks on a 2-core machine until the 20 s receive
    /// timeout (three agent HTTP tests failed together, beside two CPU hogs).
    public func request(_ method: String, _ path: String, body: [UInt8] = []) async throws -> Reply {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        if method == "POST" { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        head += "\r\n"
        let bytes = Array(head.utf8) + body
        let port = port
        return try await onOwnThread { Result { try Self.parse(Self.exchange(port: port, bytes: bytes)) } }.get()
    }

    /// Sends `bytes` and reads until the server closes.
    static func exchange(port: Int, bytes: [UInt8]) throws -> [UInt8] {
        let socket = try connected(port: port, receiveBuffer: nil)
        defer { close(socket) }
        send(bytes, on: socket)
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            reply += buffer[..<count]
        }
        return reply
    }

    /// A WebSocket watcher that upgrades and then never reads: its socket's receive buffer is
    /// `receiveBuffer` bytes, so the agent's writes to it soon stall. The caller closes it.
    public static func silentWatcher(port: Int, token: String, query: String = "from=1", receiveBuffer: Int32 = 4_096) throws -> Int32 {
        let socket = try connected(port: port, receiveBuffer: receiveBuffer)
        let upgrade = "GET /v1/watch?\(query) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer \(token)\r\n\r\n"
        send(Array(upgrade.utf8), on: socket)
        return socket
    }

    private static func connected(port: Int, receiveBuffer: Int32?) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { throw HTTPTestError("socket failed") }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if var size = receiveBuffer {
            setsockopt(socket, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(socket)
            throw HTTPTestError("connect failed: \(errno)")
        }
        return socket
    }

    private static func send(_ bytes: [UInt8], on socket: Int32) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { break }
            sent += count
        }
    }

    static func parse(_ raw: [UInt8]) throws -> Reply {
        let text = String(decoding: raw, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw HTTPTestError("no complete response: \(text.prefix(200))") }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw HTTPTestError("bad status line \(lines[0])") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = String(text[split.upperBound...])
        if headers["transfer-encoding"] == "chunked" { body = dechunk(body) }
        return Reply(status: status, headers: headers, body: body)
    }

    static func dechunk(_ text: String) -> String {
        var rest = Substring(text)
        var out = ""
        while let end = rest.range(of: "\r\n"), let size = Int(rest[..<end.lowerBound], radix: 16), size > 0 {
            let start = end.upperBound
            let utf8 = rest[start...].utf8
            let stop = utf8.index(utf8.startIndex, offsetBy: size)
            out += String(Substring(rest[start..<stop]))
            rest = rest[stop...].dropFirst(2)
        }
        return out
    }
}

public struct HTTPTestError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
