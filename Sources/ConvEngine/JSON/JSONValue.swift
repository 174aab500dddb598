/// A JSON document as a value.
///
/// The engine reads and writes JSON on hot paths (session logs, wire frames, headless output),
/// so it keeps its own small representation instead of going through `Codable`:
/// object keys keep their order, which makes every line it writes stable and diffable.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The member named `key` of an object, or `nil`.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first(where: { $0.0 == key })?.1
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var doubleValue: Double? {
        if case .number(let d) = self { return d }
        return nil
    }

    /// The value as an integer if it is an integral number within ±``maxSafeInteger``. A string
    /// is not a number, even one that spells one: where a format says integer, it gets a number.
    public var intValue: Int? {
        guard case .number(let d) = self, d.rounded() == d, abs(d) <= Double(Self.maxSafeInteger) else { return nil }
        return Int(d)
    }

    /// The largest integer every JSON reader holds exactly (2^53−1, a Double's mantissa). The
    /// writer writes no integer beyond it (``int(_:)`` clamps) and the reader accepts every one up
    /// to it, so a number written is a number read back.
    public static let maxSafeInteger = 9_007_199_254_740_991

    /// ±``maxSafeInteger``.
    public static let safeIntegers = -maxSafeInteger...maxSafeInteger

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue {
    /// `.number` for an integer, clamped to ±``maxSafeInteger`` (a saturated counter reads as the maximum).
    public static func int(_ value: Int) -> JSONValue {
        .number(Double(min(max(value, -maxSafeInteger), maxSafeInteger)))
    }

    /// `.string` or `.null`.
    public static func optional(_ value: String?) -> JSONValue {
        value.map(JSONValue.string) ?? .null
    }
}
