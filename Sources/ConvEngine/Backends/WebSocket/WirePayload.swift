/// One JSON object of a server frame, read field by field with its shape checked.
///
/// Valid JSON of the wrong shape (`"agent_response_event": 42`, a number where a text
/// belongs, a tool call without a name) must be recorded as a malformed frame, never turned
/// into an empty agent turn, a blank conversation id or a phantom tool call that gets
/// answered. So a payload that is not an object, and a missing or mistyped field that
/// carries the event (its text, audio, tool name, conversation id, score), make the frame
/// malformed. Ids and figures beside the content (`event_id`, `ping_ms`) are read leniently:
/// one of the wrong type is read as absent. Counts the session adds up (token usage) are
/// read strictly: a string or an absurd number there makes the frame malformed.
struct WirePayload {
    private let members: JSONValue
    /// Where this object sits in the frame (`agent_response_event`), for error messages; empty
    /// for the frame itself.
    private let path: String
    /// The whole frame, quoted in errors.
    private let frame: String

    /// The frame itself, which the caller has already parsed as an object.
    init(frame value: JSONValue, text: String) {
        members = value
        path = ""
        frame = text
    }

    /// The object under `key`. Absent or `null` reads as an empty object unless `required`;
    /// anything but an object is malformed.
    func object(_ key: String, required: Bool = false) throws(WireDecodeError) -> WirePayload {
        let name = qualified(key)
        switch members[key] {
        case .object(let fields)?: return WirePayload(members: .object(fields), path: name, frame: frame)
        case nil, .null?:
            if required { throw WireDecodeError("\(name) is missing", frame: frame) }
            return WirePayload(members: .object([]), path: name, frame: frame)
        default: throw WireDecodeError("\(name) is not an object", frame: frame)
        }
    }

    private init(members: JSONValue, path: String, frame: String) {
        self.members = members
        self.path = path
        self.frame = frame
    }

    /// A text the event carries, sanitized; missing or not a string is malformed.
    func text(_ key: String) throws(WireDecodeError) -> String {
        guard let value = try optionalText(key) else { throw WireDecodeError("\(qualified(key)) is missing", frame: frame) }
        return value
    }

    /// An optional text, sanitized: absent or `null` is nil; any other non-string is malformed.
    func optionalText(_ key: String) throws(WireDecodeError) -> String? {
        try optionalRaw(key).map(TextSanitizer.sanitize)
    }

    /// A string the engine reads but never shows as is (base64 audio, a format name).
    func raw(_ key: String) throws(WireDecodeError) -> String {
        guard let value = try optionalRaw(key) else { throw WireDecodeError("\(qualified(key)) is missing", frame: frame) }
        return value
    }

    /// An optional string kept as sent: absent or `null` is nil; any other non-string is malformed.
    func optionalRaw(_ key: String) throws(WireDecodeError) -> String? {
        switch members[key] {
        case .string(let value)?: return value
        case nil, .null?: return nil
        default: throw WireDecodeError("\(qualified(key)) is not a string", frame: frame)
        }
    }

    /// A number the event is about (a score); missing or not a number is malformed.
    func number(_ key: String) throws(WireDecodeError) -> Double {
        guard let value = members[key]?.doubleValue else {
            throw WireDecodeError("\(qualified(key)) is \(members[key] == nil ? "missing" : "not a number")", frame: frame)
        }
        return value
    }

    /// An id or a figure beside the content: an integer within ±2^53−1, or a string spelling one
    /// (ElevenLabs has been seen sending numeric ids as strings), else nil.
    func integer(_ key: String) -> Int? {
        guard case .string(let text)? = members[key] else { return members[key]?.intValue }
        return Int(text).flatMap { JSONValue.safeIntegers.contains($0) ? $0 : nil }
    }

    /// A count the session adds to a counter: absent or `null` is nil; anything but a
    /// non-negative integer of at most 2^53−1 (a string, a fraction, a huge number) is malformed.
    func count(_ key: String) throws(WireDecodeError) -> Int? {
        switch members[key] {
        case nil, .null?: return nil
        case let value?:
            guard let count = value.intValue, count >= 0 else {
                throw WireDecodeError("\(qualified(key)) is not a count (a non-negative integer up to 2^53-1)", frame: frame)
            }
            return count
        }
    }

    /// The raw member, for payloads passed on whole (tool parameters).
    subscript(key: String) -> JSONValue? {
        members[key]
    }

    /// The array under `key`: absent or `null` is empty; anything but an array of objects is malformed.
    func objects(_ key: String) throws(WireDecodeError) -> [WirePayload] {
        let name = qualified(key)
        switch members[key] {
        case nil, .null?: return []
        case .array(let elements)?:
            var payloads: [WirePayload] = []
            for (index, element) in elements.enumerated() {
                guard case .object = element else { throw WireDecodeError("\(name)[\(index)] is not an object", frame: frame) }
                payloads.append(WirePayload(members: element, path: "\(name)[\(index)]", frame: frame))
            }
            return payloads
        default: throw WireDecodeError("\(name) is not an array", frame: frame)
        }
    }

    private func qualified(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }
}
