#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the index remembers about an event's kind: one byte per event.
///
/// Enough to count runs and to jump between interruptions and errors without decoding the log
/// again.
public struct ReplayEventFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The user barged in on the agent (`interruption`).
    public static let interruption = ReplayEventFlags(rawValue: 1 << 0)
    /// Something went wrong: `failed`, `server_error` or `malformed_event`.
    public static let error = ReplayEventFlags(rawValue: 1 << 1)
    /// A run began (`run_started`).
    public static let runStart = ReplayEventFlags(rawValue: 1 << 2)

    /// An alert was raised or cleared (`alert`).
    public static let alert = ReplayEventFlags(rawValue: 1 << 3)

    /// The operator marked the moment (`mark`).
    public static let operatorMark = ReplayEventFlags(rawValue: 1 << 4)

    /// Interruptions, errors, alerts and operator marks: what the timeline marks and navigation jumps between.
    public static let marked: ReplayEventFlags = [.interruption, .error, .alert, .operatorMark]

    /// The flags of an event type name, or nil when the name is not an event type.
    /// Runs once per line while indexing or gathering stats: the names are static strings
    /// (nothing to retain) compared with `memcmp`, only where the length matches.
    static func forType(_ name: UnsafeRawBufferPointer) -> ReplayEventFlags? {
        guard let base = name.baseAddress else { return nil }
        for (candidate, flags) in typeTable where candidate.utf8CodeUnitCount == name.count {
            if memcmp(base, candidate.utf8Start, name.count) == 0 { return flags }
        }
        return nil
    }

    /// The flags of a decoded event.
    static func of(_ kind: SessionEvent.Kind) -> ReplayEventFlags {
        switch kind {
        case .interruption: .interruption
        case .failed, .serverError, .malformed, .recordingStopped: .error
        case .runStarted: .runStart
        case .alert: .alert
        case .mark: .operatorMark
        default: []
        }
    }

    /// Every event type name the log format has, with its flags. Kept next to ``of(_:)`` so a
    /// new event type is added to both (the index tests check they agree).
    static let typeTable: [(StaticString, ReplayEventFlags)] = [
        ("run_started", .runStart), ("connected", []), ("stop_requested", []), ("ended", []), ("failed", .error),
        ("user_speech_started", []), ("user_speech_stopped", []), ("user_transcript", []), ("user_message", []),
        ("contextual_update", []), ("user_audio", []), ("tool_result", []), ("agent_thinking", []),
        ("agent_text_delta", []), ("agent_text_done", []), ("agent_correction", []), ("agent_audio", []),
        ("agent_audio_done", []), ("interruption", .interruption), ("tool_call", []), ("ping", []), ("vad_score", []),
        ("server_error", .error), ("rate_limits", []), ("usage", []), ("unknown_event", []), ("malformed_event", .error),
        ("mcp_tool_call", []), ("tool_approval", []), ("feedback", []),
        ("recording_stopped", .error), ("recording_resumed", []), ("turn_metrics", []), ("alert", .alert),
        ("mark", .operatorMark),
    ]
}
