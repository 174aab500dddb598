#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The two messages a busy ElevenLabs conversation is made of, `agent_response` and `ping`,
/// read straight from the frame's bytes in the exact form the server writes them.
///
/// Anything else, or anything about them that is not plain (an escape, a byte outside
/// printable ASCII, another key order, white space, a long or odd number), returns nil and
/// takes the general path (``ElevenLabsCodec/decode(_:)``). What this returns is exactly what
/// the general decoder returns for the same bytes: printable ASCII needs no UTF-8 repair and
/// no sanitizing, and integers of at most 15 digits are exact as JSON numbers.
enum ElevenLabsFastPath {
    static func decode(_ bytes: UnsafeRawBufferPointer) -> ElevenLabsMessage? {
        var reader = Reader(bytes: bytes)
        guard reader.skip(#"{"type":""#) else { return nil }
        if reader.skip(#"agent_response","agent_response_event":{"agent_response":""#) {
            guard let text = reader.plainString(), reader.skip(#","event_id":"#), let id = reader.integer(),
                reader.skip("}}"), reader.atEnd
            else { return nil }
            return .agentResponse(text: text, eventId: id)
        }
        if reader.skip(#"ping","ping_event":{"event_id":"#) {
            guard let id = reader.integer(), reader.skip(#","ping_ms":"#) else { return nil }
            let latency: Int?
            if reader.skip("null") {
                latency = nil
            } else {
                guard let value = reader.integer() else { return nil }
                latency = value
            }
            guard reader.skip("}}"), reader.atEnd else { return nil }
            return .ping(eventId: id, pingMs: latency)
        }
        return nil
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var position = 0

        var atEnd: Bool { position == bytes.count }

        /// Moves past `literal` if the bytes continue with it.
        mutating func skip(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard bytes.count - position >= count,
                memcmp(bytes.baseAddress! + position, literal.utf8Start, count) == 0
            else { return false }
            position += count
            return true
        }

        /// The rest of a string whose opening quote was read, up to and past its closing
        /// quote, if it is printable ASCII without escapes.
        mutating func plainString() -> String? {
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                    position += 1
                    return text
                }
                guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return nil }
                position += 1
            }
            return nil
        }

        /// A non-negative JSON integer of 1 to 15 digits, without leading zeros.
        mutating func integer() -> Int? {
            let start = position
            var value = 0
            while position < bytes.count, position - start < 16, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
                value = value * 10 + Int(bytes[position] - UInt8(ascii: "0"))
                position += 1
            }
            let digits = position - start
            // A fraction or an exponent after the digits fails the caller's next `skip`.
            guard digits >= 1, digits <= 15, digits == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
            return value
        }
    }
}
