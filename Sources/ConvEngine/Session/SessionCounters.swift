/// Running totals for one session, over all its runs.
public struct SessionCounters: Sendable, Equatable {
    public var eventsIn = 0
    public var eventsOut = 0
    public var audioBytesIn = 0
    public var audioBytesOut = 0
    public var audioMillisecondsIn = 0
    public var audioMillisecondsOut = 0
    public var interruptions = 0
    public var staleAudioDropped = 0
    public var errors = 0
    public var unknownEvents = 0
    public var toolCalls = 0
    public var pings = 0
    public var inputTokens = 0
    public var outputTokens = 0

    public init() {}

    /// The counters as JSON, keys in snake_case (headless `snapshot`, replay output).
    public var json: JSONValue {
        .object([
            ("events_in", .int(eventsIn)),
            ("events_out", .int(eventsOut)),
            ("audio_bytes_in", .int(audioBytesIn)),
            ("audio_bytes_out", .int(audioBytesOut)),
            ("audio_ms_in", .int(audioMillisecondsIn)),
            ("audio_ms_out", .int(audioMillisecondsOut)),
            ("interruptions", .int(interruptions)),
            ("stale_audio_dropped", .int(staleAudioDropped)),
            ("errors", .int(errors)),
            ("unknown_events", .int(unknownEvents)),
            ("tool_calls", .int(toolCalls)),
            ("pings", .int(pings)),
            ("input_tokens", .int(inputTokens)),
            ("output_tokens", .int(outputTokens)),
        ])
    }
}

extension Int {
    /// Adds `amount` to a counter, holding the result within 0...``JSONValue/maxSafeInteger``:
    /// amounts come from servers and logs, and a sum that traps would take every session down.
    mutating func accumulate(_ amount: Int) {
        let (sum, overflow) = addingReportingOverflow(amount)
        self = overflow ? (amount > 0 ? JSONValue.maxSafeInteger : 0) : Swift.min(Swift.max(sum, 0), JSONValue.maxSafeInteger)
    }
}
