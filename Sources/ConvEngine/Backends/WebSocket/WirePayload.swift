/// One JSON object of a server frame, read field by field with its shape checked.
///
/// Valid JSON of the wrong shape (`"agent_response_event": 42`, a number where a text
/// belongs, a tool call without a name) must be recorded as a malformed frame, never turned
/// into an empty agent turn, a blank conversation id or a phantom tool call that gets
/// answered. So a payload that is not an object, and a missing or mistyped field that
/// carries the event (its text, audio, tool name, conversation id, score), make the frame
/// malformed. Ids and figures beside the content (`event_id`, `ping_ms`, token counts) are
/// read leniently: one of the wrong type is read as absent.
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

    /// An id or a figure beside the content: an integer or a numeric string, else nil.
    func integer(_ key: String) -> Int? {
        members[key]?.intValue
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
