/// Why a frame from a server could not be decoded. Carries a short, sanitized excerpt of the
/// frame so that the pane shows what arrived without flooding it.
public struct WireDecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ reason: String, frame: String) {
        let excerpt = frame.utf8.count > 80 ? String(decoding: Array(frame.utf8.prefix(80)), as: UTF8.self) + "…" : frame
        message = "\(reason): \(TextSanitizer.sanitize(excerpt))"
    }

    public var description: String { message }

    /// Parses a frame as JSON, or fails with the parser's reason.
    static func parse(_ text: String) throws(WireDecodeError) -> JSONValue {
        do {
            return try JSONParser.parse(text)
        } catch {
            throw WireDecodeError("not JSON (\(error))", frame: text)
        }
    }
}
