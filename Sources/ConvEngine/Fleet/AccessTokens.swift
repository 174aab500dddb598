import Foundation

/// What a request to an agent may do, by the bearer token it presents.
public enum AccessRole: String, Sendable, Equatable {
    /// Watch and control: start, stop, restart, send.
    case control
    /// Only read: the session list, metrics and the watch stream.
    case readOnly = "read-only"

    /// Whether this role may change a session.
    public var mayControl: Bool { self == .control }
}

/// An agent's tokens and the one check that tells which role a request has.
///
/// Tokens are compared in time that does not depend on where they differ, so a caller cannot
/// find a token byte by byte; they never appear in a description, a log or an error.
public struct AccessTokens: Sendable {
    private let control: [UInt8]
    private let readOnly: [UInt8]?

    /// Shorter tokens are refused: they could be guessed.
    public static let minimumLength = 16

    public init(control: String, readOnly: String? = nil) throws(AccessTokenError) {
        let control = Array(control.utf8)
        let readOnly = readOnly.map { Array($0.utf8) }
        guard control.count >= Self.minimumLength, readOnly.map({ $0.count >= Self.minimumLength }) ?? true else {
            throw AccessTokenError("a token must be at least \(Self.minimumLength) bytes")
        }
        if let readOnly, Self.sameBytes(readOnly, control) {
            throw AccessTokenError("the read-only token must differ from the control token")
        }
        self.control = control
        self.readOnly = readOnly
    }

    /// The role of a request whose `Authorization` header is `header`; nil for none or a
    /// wrong token. Both tokens are always compared, so the time says nothing about which matched.
    public func role(authorization header: String?) -> AccessRole? {
        guard let header, header.utf8.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        let presented = Array(header.utf8.dropFirst(7))
        let isControl = Self.sameBytes(presented, control)
        let isReadOnly = readOnly.map { Self.sameBytes(presented, $0) } ?? false
        return isControl ? .control : isReadOnly ? .readOnly : nil
    }

    /// Whether `a` equals `b`, in time that depends only on the lengths.
    static func sameBytes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count) | (a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }

    /// A token from the file at `path`: its content without surrounding whitespace. A file
    /// that others may read is refused (the token would not be a secret).
    public static func load(path: String) throws(AccessTokenError) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { throw AccessTokenError("cannot read token file \(path): \(String(cString: strerror(errno)))") }
        guard info.st_mode & 0o077 == 0 else {
            throw AccessTokenError("token file \(path) may be read by others (mode \(String(info.st_mode & 0o777, radix: 8))); chmod 600 it")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AccessTokenError("cannot read token file \(path)")
        }
        guard data.count <= 4096 else { throw AccessTokenError("token file \(path) is over 4096 bytes") }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw AccessTokenError("token file \(path) is empty") }
        guard !token.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw AccessTokenError("token file \(path) holds more than one word")
        }
        return token
    }
}

/// Why tokens could not be set up. Its text never contains a token.
public struct AccessTokenError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
