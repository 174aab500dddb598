import ConvEngine
import Foundation
import SimServer
import Testing
import TestSupport

/// The sim-server as a public server must be (issue 14, deliverable 9): a head deadline for
/// slowloris clients, a connection limit, a message limit, and RFC 6455's masking and UTF-8
/// rules with their close codes. Driven over raw sockets, with frames made by hand.
@Suite(.serialized) struct SimServerRobustnessTests {
    private static func options() -> SimServerOptions {
        var options = SimServerOptions(port: 0)
        options.headDeadline = .milliseconds(500)
        options.maxMessageBytes = 4096
        options.maxConnections = 2
        return options
    }

    /// A client frame: text (opcode 1) unless told, masked unless told.
    private static func frame(_ payload: [UInt8], opcode: UInt8 = 1, masked: Bool = true) -> [UInt8] {
        var out: [UInt8] = [0x80 | opcode]
        let maskBit: UInt8 = masked ? 0x80 : 0
        if payload.count < 126 {
            out.append(maskBit | UInt8(payload.count))
        } else if payload.count < 65536 {
            out.append(maskBit | 126)
            out += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            out.append(maskBit | 127)
            out += (0..<8).reversed().map { UInt8(truncatingIfNeeded: payload.count >> ($0 * 8)) }
        }
        guard masked else { return out + payload }
        let key: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        return out + key + payload.enumerated().map { $0.element ^ key[$0.offset % 4] }
    }

    /// Upgrades to the OpenAI endpoint, then sends `frames`; the close code the server sends
    /// (within 20 s: on a loaded machine, 5 s once passed before the server got to it).
    /// On a thread of its own: the sockets block, and the server's handlers need the pool.
    private static func closeCode(port: Int, after frames: [UInt8]) async -> UInt16? {
        await onOwnThread {
            guard let socket = try? RawSocket(port: port), (try? socket.upgrade(path: "/v1/realtime?model=echo")) != nil else {
                print("no close frame: the connection or its upgrade failed")
                return nil
            }
            socket.send(frames)
            let code = socket.closeCode(within: .seconds(20))
            if code == nil { print("no close frame: \(socket.why)") }
            return code
        }
    }

    @Test func anUnmaskedClientFrameIsClosedWith1002() async throws {
        try await withSimServer(Self.options()) { port in
            let code = await Self.closeCode(port: port, after: Self.frame(Array(#"{"type":"x"}"#.utf8), masked: false))
            #expect(code == 1002)
        }
    }

    @Test func textThatIsNotUTF8IsClosedWith1007() async throws {
        try await withSimServer(Self.options()) { port in
            let code = await Self.closeCode(port: port, after: Self.frame([0x22, 0xC0, 0xAF, 0xFF, 0x22]))
            #expect(code == 1007)
        }
    }

    @Test func aMessageOverTheLimitIsClosedWith1009() async throws {
        try await withSimServer(Self.options()) { port in
            let code = await Self.closeCode(port: port, after: Self.frame([UInt8](repeating: 0x20, count: 5000)))
            #expect(code == 1009)
        }
    }

    /// A client trickling its request head (slowloris) is closed at the deadline.
    @Test func aHeadNotCompleteAtTheDeadlineIsClosed() async throws {
        try await withSimServer(Self.options()) { port in
            let (closed, elapsed) = await onOwnThread { () -> (Bool, Duration) in
                guard let socket = try? RawSocket(port: port) else { return (false, .zero) }
                socket.send(Array("GET /v1/realtime?model=echo HTTP/1.1\r\nHost: x\r\n".utf8))
                let started = ContinuousClock.now
                return (socket.waitForClose(within: .seconds(15)), ContinuousClock.now - started)
            }
            #expect(closed, "the server closes the connection")
            // The deadline is 0.5 s; the bound leaves room for a loaded machine (3.9 and 4.8 s
            // were seen beside two CPU hogs), not for a server without one.
            #expect(elapsed < .seconds(8), "closed after \(elapsed)")
        }
    }

    /// Two clients sending 256 KiB `user_message`s back to back leave a third conversation its
    /// pings (every 200 ms here). Without fairness it got none: the flooders' reading loops
    /// kept the cooperative pool's threads while their next messages were buffered.
    @Test func floodingClientsDoNotStarveAQuietConversation() async throws {
        var options = SimServerOptions(port: 0, pingInterval: .milliseconds(200))
        options.noInputTimeout = nil
        try await withSimServer(options) { port in
            let path = "/v1/convai/conversation?agent_id=ava"
            let message = Self.frame(Array(#"{"type":"user_message","text":"\#(String(repeating: "a", count: 256 << 10))"}"#.utf8))
            let stop = Locked(false)
            let floods = (0..<2).map { _ in
                Task { await onOwnThread { Self.flood(port: port, path: path, message: message, until: stop) } }
            }
            let gaps = await onOwnThread { () -> [Duration]? in
                Thread.sleep(forTimeInterval: 0.3)
                defer { stop.withLock { $0 = true } }
                guard let socket = try? RawSocket(port: port), (try? socket.upgrade(path: path)) != nil else { return nil }
                socket.send(Self.frame(Array(#"{"type":"conversation_initiation_client_data"}"#.utf8)))
                return socket.pingGaps(during: .seconds(5))
            }
            for flood in floods { #expect(await flood.value > 4, "the flooders sent") }
            let longest = try #require(gaps, "the quiet conversation was upgraded").max() ?? .zero
            // Alone it is 0.2 s; a loaded machine stretches it (1.9 s once under TSan, in CI),
            // starvation makes it the whole 5 s.
            #expect(longest < .milliseconds(2500), "longest gap between pings: \(longest)")
        }
    }

    /// Sends `message` over and over, reading whatever comes back, until `stop`; how many were sent.
    private static func flood(port: Int, path: String, message: [UInt8], until stop: Locked<Bool>) -> Int {
        guard let socket = try? RawSocket(port: port), (try? socket.upgrade(path: path)) != nil else { return 0 }
        var sent = 0
        while !stop.withLock({ $0 }) {
            if socket.pump(message, within: .milliseconds(100)) { sent += 1 }
        }
        return sent
    }

    /// Connections past the limit wait until one closes.
    @Test func connectionsPastTheLimitWait() async throws {
        try await withSimServer(Self.options()) { port in
            let (waited, served) = await onOwnThread { () -> (Bool, Bool) in
                guard let first = try? RawSocket(port: port), (try? first.upgrade(path: "/v1/realtime?model=echo")) != nil,
                    let second = try? RawSocket(port: port), (try? second.upgrade(path: "/v1/realtime?model=echo")) != nil,
                    let third = try? RawSocket(port: port)
                else { return (false, false) }
                third.send(RawSocket.upgradeRequest(path: "/v1/realtime?model=echo"))
                let waited = third.readHead(within: .seconds(1)) == nil
                first.close()
                return (waited, third.readHead(within: .seconds(20))?.hasPrefix("HTTP/1.1 101") == true)
            }
            #expect(waited, "the third waits")
            #expect(served, "served once the first is gone")
        }
    }
}

/// A blocking TCP client with receive timeouts, for frames no WebSocket library would send.
private final class RawSocket {
    private let fd: Int32
    private var buffer: [UInt8] = []
    /// Why the last read got nothing (the end of the stream, an error, the time running out),
    /// and what was left unparsed.
    private(set) var why = ""

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    deinit { Glibc.close(fd) }

    func close() { shutdown(fd, Int32(SHUT_RDWR)) }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads more bytes within `timeout`; false at the end of the stream or on timeout.
    private func fill(until deadline: ContinuousClock.Instant) -> Bool {
        let left = deadline - ContinuousClock.now
        let unparsed = "\(buffer.count) bytes unparsed, starting \(buffer.prefix(8))"
        guard left > .zero else {
            why = "timed out; " + unparsed
            return false
        }
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)) > 0 else {
            why = "timed out; " + unparsed
            return false
        }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else {
            why = (n == 0 ? "the server closed the connection; " : "recv failed (errno \(errno)); ") + unparsed
            return false
        }
        buffer += chunk[..<n]
        return true
    }

    /// The response head, once it has come in whole.
    func readHead(within timeout: Duration) -> String? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let end = String(decoding: buffer, as: UTF8.self).range(of: "\r\n\r\n") {
                let head = String(String(decoding: buffer, as: UTF8.self)[..<end.lowerBound])
                buffer.removeFirst(head.utf8.count + 4)
                return head
            }
            guard fill(until: deadline) else { return nil }
        }
    }

    func upgrade(path: String) throws {
        send(Self.upgradeRequest(path: path))
        guard readHead(within: .seconds(20))?.hasPrefix("HTTP/1.1 101") == true else { throw POSIXError(.EPROTO) }
    }

    /// An upgrade request with the key the strict OpenAI endpoint requires.
    static func upgradeRequest(path: String) -> [UInt8] {
        Array("GET \(path) HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sim\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n".utf8)
    }

    /// The code of the first close frame the server sends within `timeout`, skipping other frames.
    func closeCode(within timeout: Duration) -> UInt16? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if buffer.count >= 2 {
                let length = Int(buffer[1] & 0x7F)
                let header = length == 126 ? 4 : (length == 127 ? 10 : 2)
                if buffer.count >= header {
                    let payload =
                        length == 126 ? Int(buffer[2]) << 8 | Int(buffer[3]) : length == 127 ? buffer[2..<10].reduce(0) { $0 << 8 | Int($1) } : length
                    if buffer.count >= header + payload {
                        if buffer[0] & 0x0F == 8 { return payload >= 2 ? UInt16(buffer[header]) << 8 | UInt16(buffer[header + 1]) : 1005 }
                        buffer.removeFirst(header + payload)
                        continue
                    }
                }
            }
            guard fill(until: deadline) else { return nil }
        }
    }

    /// Sends `bytes` whole while draining what the server sends; false if that took longer than
    /// `timeout` (the rest of `bytes` is dropped: the stream is then no longer framed, which a
    /// flood that ends does not mind).
    func pump(_ bytes: [UInt8], within timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        var offset = 0
        var scratch = [UInt8](repeating: 0, count: 65536)
        while offset < bytes.count, ContinuousClock.now < deadline {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN | POLLOUT), revents: 0)
            guard poll(&descriptor, 1, 20) > 0 else { continue }
            if descriptor.revents & Int16(POLLIN) != 0 {
                guard scratch.withUnsafeMutableBytes({ recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }) > 0 else { return false }
            }
            if descriptor.revents & Int16(POLLOUT) != 0 {
                let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
                if n > 0 { offset += n }
            }
        }
        return offset == bytes.count
    }

    /// The gaps between the `ping` events the server sends during `window`, from its start to
    /// its end (the whole window if none came).
    func pingGaps(during window: Duration) -> [Duration] {
        let start = ContinuousClock.now
        var last = start
        var gaps: [Duration] = []
        while let text = nextText(until: start + window) {
            if text.contains(#""type":"ping""#) {
                gaps.append(ContinuousClock.now - last)
                last = .now
            }
        }
        return gaps + [ContinuousClock.now - last]
    }

    /// The next text frame's payload before `deadline`, skipping other frames.
    private func nextText(until deadline: ContinuousClock.Instant) -> String? {
        while true {
            if buffer.count >= 2 {
                let length = Int(buffer[1] & 0x7F)
                let header = length == 126 ? 4 : (length == 127 ? 10 : 2)
                if buffer.count >= header {
                    let payload = switch length {
                    case 126: Int(buffer[2]) << 8 | Int(buffer[3])
                    case 127: buffer[2..<10].reduce(0) { $0 << 8 | Int($1) }
                    default: length
                    }
                    if buffer.count >= header + payload {
                        let text = buffer[0] & 0x0F == 1 ? String(decoding: buffer[header..<header + payload], as: UTF8.self) : nil
                        buffer.removeFirst(header + payload)
                        if let text { return text }
                        continue
                    }
                }
            }
            guard fill(until: deadline) else { return nil }
        }
    }

    /// Whether the server closes the connection within `timeout`.
    func waitForClose(within timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 50) > 0 else { continue }
            var byte: UInt8 = 0
            if recv(fd, &byte, 1, 0) <= 0 { return true }
        }
        return false
    }
}
