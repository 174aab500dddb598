/// Finds the line a key sits on in TOML source, for error messages.
///
/// TOMLKit does not expose source positions of keys, so this scans the text: it follows
/// table headers (`[defaults]`, `[[session]]`, `[[remote]]`, `[session.tools]`) and notes where
/// each `key =` line appears. Keys inside inline tables report the line of their parent key.
struct TOMLKeyLines {
    /// Line numbers by section (`""`, `defaults`, `session#0`, `session#0.tools`, `remote#0`) and key.
    private var lines: [String: [String: Int]] = [:]
    private var headers: [String: Int] = [:]

    init(_ text: String) {
        var section = ""
        var sessions = -1
        var remotes = -1
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.drop(while: { $0 == " " || $0 == "\t" })
            let number = index + 1
            if line.hasPrefix("[[") {
                let name = line.dropFirst(2).prefix(while: { $0 != "]" }).trimmingSpaces()
                if name == "session" {
                    sessions += 1
                    section = "session#\(sessions)"
                } else if name == "remote" {
                    remotes += 1
                    section = "remote#\(remotes)"
                } else if name.hasPrefix("session.") {
                    section = "session#\(max(0, sessions))." + name.dropFirst(8)
                } else {
                    section = String(name)
                }
                headers[section] = headers[section] ?? number
            } else if line.hasPrefix("[") {
                let name = line.dropFirst().prefix(while: { $0 != "]" }).trimmingSpaces()
                section = name.hasPrefix("session.") ? "session#\(max(0, sessions))." + name.dropFirst(8) : String(name)
                headers[section] = headers[section] ?? number
            } else if let equals = line.firstIndex(of: "="), !line.hasPrefix("#") {
                var key = line[..<equals].trimmingSpaces()
                if key.count >= 2, key.first == "\"", key.last == "\"" { key = String(key.dropFirst().dropLast()) }
                if lines[section, default: [:]][key] == nil { lines[section, default: [:]][key] = number }
            }
        }
    }

    /// The line of `key` in `section`, else of the section's header.
    func line(of key: String?, in section: String) -> Int? {
        if let key, let line = lines[section]?[key] { return line }
        return headers[section]
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
