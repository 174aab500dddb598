/// What `convtui export` writes.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// A readable transcript: timestamps, roles, interruptions marked.
    case markdown
    /// The same transcript as plain text.
    case text
    /// The normalized events, one event object per line, exactly as decoded and re-encoded.
    case jsonl
}
