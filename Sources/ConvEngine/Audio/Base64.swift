import Foundation

/// Base64 as both wire protocols carry audio in it.
public enum Base64 {
    public static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    public static func decode(_ text: String) -> [UInt8]? {
        Data(base64Encoded: text).map { [UInt8]($0) }
    }

    /// How many bytes `text` decodes to, without decoding it: agent audio is counted on every
    /// frame but decoded only when it is saved.
    public static func decodedLength(_ text: String) -> Int {
        var count = text.utf8.count
        for byte in text.utf8.reversed() {
            guard byte == UInt8(ascii: "=") else { break }
            count -= 1
        }
        return count * 3 / 4
    }
}
