import ConvEngine

/// One event as its log line, pretty-printed: what Enter in the inspector opens.
package enum EventDetail {
    /// The event's JSON object, two spaces an indent level, members in the log's order.
    package static func lines(_ record: EventRecord) -> [String] {
        var bytes: [UInt8] = []
        SessionEvent(offset: record.offset, run: record.run, kind: record.kind).writeLogLine(into: &bytes)
        guard let value = try? JSONParser.parse(bytes) else { return [String(decoding: bytes, as: UTF8.self)] }
        var lines: [String] = []
        pretty(value, indent: "", prefix: "", suffix: "", into: &lines)
        return lines
    }

    private static func pretty(_ value: JSONValue, indent: String, prefix: String, suffix: String, into lines: inout [String]) {
        let inner = indent + "  "
        switch value {
        case .object(let members) where !members.isEmpty:
            lines.append(indent + prefix + "{")
            for (i, (key, member)) in members.enumerated() {
                let comma = i + 1 < members.count ? "," : ""
                pretty(member, indent: inner, prefix: JSONWriter.string(.string(key)) + ": ", suffix: comma, into: &lines)
            }
            lines.append(indent + "}" + suffix)
        case .array(let elements) where !elements.isEmpty:
            lines.append(indent + prefix + "[")
            for (i, element) in elements.enumerated() {
                pretty(element, indent: inner, prefix: "", suffix: i + 1 < elements.count ? "," : "", into: &lines)
            }
            lines.append(indent + "]" + suffix)
        default:
            lines.append(indent + prefix + JSONWriter.string(value) + suffix)
        }
    }
}
