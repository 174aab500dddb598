/// How long one completed turn took, stage by stage, measured on this side from event offsets.
///
/// A turn begins when the user's side ends (speech stopped, a final transcript, a typed
/// message) and completes when the agent's reply is over (its audio done, a barge-in, the next
/// user turn, or the run's end). Every time is in milliseconds and nil when the stage did not
/// happen in this turn (a text-only reply has no first audio).
public struct TurnMetrics: Sendable, Equatable {
    /// Whether the user spoke or typed.
    public enum Mode: String, Sendable {
        case voice
        case text
    }

    /// 1-based number of the turn in its run.
    public var turn: Int
    public var mode: Mode
    /// End of the user's audio sent → first agent audio: the delay the caller hears. Without
    /// user audio in the turn, measured from the end of the user's turn.
    public var voiceToVoiceMs: Int?
    /// End of the user's audio sent → the server's speech stopped (endpointing).
    public var endpointingMs: Int?
    /// Speech stopped → the final transcript (speech recognition).
    public var transcriptMs: Int?
    /// Response created (`agent_thinking`) → first text, and → first audio.
    public var responseToTextMs: Int?
    public var responseToAudioMs: Int?
    /// End of the user's turn (speech stopped, final transcript or a sent message) → first
    /// text, → first audio, → the last of the reply.
    public var firstTextMs: Int?
    public var firstAudioMs: Int?
    public var doneMs: Int?
    /// Length of the agent's reply: the audio received for it.
    public var agentAudioMs: Int
    /// Whether the user barged in, and how much of the reply was heard before that.
    public var interrupted: Bool
    public var heardMs: Int?
    /// Each client tool call of the turn: call → result sent.
    public var toolMs: [Int]
    /// The server's latest ping round trip at the end of the turn.
    public var pingMs: Int?
    /// How long the user's audio that led to this turn was sent while the agent's audio was
    /// playing (talk-over); nil without user audio. Absent from logs written before it was
    /// measured.
    public var talkOverMs: Int?

    public init(
        turn: Int, mode: Mode, voiceToVoiceMs: Int? = nil, endpointingMs: Int? = nil, transcriptMs: Int? = nil,
        responseToTextMs: Int? = nil, responseToAudioMs: Int? = nil, firstTextMs: Int? = nil, firstAudioMs: Int? = nil,
        doneMs: Int? = nil, agentAudioMs: Int = 0, interrupted: Bool = false, heardMs: Int? = nil, toolMs: [Int] = [],
        pingMs: Int? = nil, talkOverMs: Int? = nil
    ) {
        self.turn = turn
        self.mode = mode
        self.voiceToVoiceMs = voiceToVoiceMs
        self.endpointingMs = endpointingMs
        self.transcriptMs = transcriptMs
        self.responseToTextMs = responseToTextMs
        self.responseToAudioMs = responseToAudioMs
        self.firstTextMs = firstTextMs
        self.firstAudioMs = firstAudioMs
        self.doneMs = doneMs
        self.agentAudioMs = agentAudioMs
        self.interrupted = interrupted
        self.heardMs = heardMs
        self.toolMs = toolMs
        self.pingMs = pingMs
        self.talkOverMs = talkOverMs
    }

    /// The turn's response latency, the figure distributions and alerts use: voice-to-voice,
    /// or for a turn without agent audio the time to its first text.
    public var latencyMs: Int? { voiceToVoiceMs ?? firstTextMs }

    /// The payload members of a `turn_metrics` line, in the order they are written.
    public var members: [(String, JSONValue)] {
        func ms(_ value: Int?) -> JSONValue { value.map(JSONValue.int) ?? .null }
        return [
            ("turn", .int(turn)),
            ("mode", .string(mode.rawValue)),
            ("voice_to_voice_ms", ms(voiceToVoiceMs)),
            ("endpointing_ms", ms(endpointingMs)),
            ("transcript_ms", ms(transcriptMs)),
            ("response_to_text_ms", ms(responseToTextMs)),
            ("response_to_audio_ms", ms(responseToAudioMs)),
            ("first_text_ms", ms(firstTextMs)),
            ("first_audio_ms", ms(firstAudioMs)),
            ("done_ms", ms(doneMs)),
            ("agent_audio_ms", .int(agentAudioMs)),
            ("interrupted", .bool(interrupted)),
            ("heard_ms", ms(heardMs)),
            ("tool_ms", .array(toolMs.map(JSONValue.int))),
            ("ping_ms", ms(pingMs)),
            ("talk_over_ms", ms(talkOverMs)),
        ]
    }

    /// Writes ``members`` into a log line, each after a comma: straight into the line, with no
    /// list of members per turn (a turn's line cost more to build than to write).
    public func writeMembers(into out: inout [UInt8]) {
        func key(_ name: StaticString) {
            out.append(contentsOf: #",""#.utf8)
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            out.append(contentsOf: #"":"#.utf8)
        }
        func ms(_ name: StaticString, _ value: Int?) {
            key(name)
            if let value { JSONWriter.writeInteger(Int64(value), into: &out) } else { out.append(contentsOf: "null".utf8) }
        }
        ms("turn", turn)
        key("mode")
        JSONWriter.writeString(mode.rawValue, into: &out)
        ms("voice_to_voice_ms", voiceToVoiceMs)
        ms("endpointing_ms", endpointingMs)
        ms("transcript_ms", transcriptMs)
        ms("response_to_text_ms", responseToTextMs)
        ms("response_to_audio_ms", responseToAudioMs)
        ms("first_text_ms", firstTextMs)
        ms("first_audio_ms", firstAudioMs)
        ms("done_ms", doneMs)
        ms("agent_audio_ms", agentAudioMs)
        key("interrupted")
        out.append(contentsOf: (interrupted ? "true" : "false").utf8)
        ms("heard_ms", heardMs)
        key("tool_ms")
        out.append(UInt8(ascii: "["))
        for (index, tool) in toolMs.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.writeInteger(Int64(tool), into: &out)
        }
        out.append(UInt8(ascii: "]"))
        ms("ping_ms", pingMs)
        ms("talk_over_ms", talkOverMs)
    }

    /// Reads the members of a `turn_metrics` line; only `turn` and `mode` are required, so a
    /// later version's extra or missing stages still read.
    public init(json: JSONValue) throws(EventDecodingError) {
        func ms(_ key: String) throws(EventDecodingError) -> Int? {
            guard let value = json[key], !value.isNull else { return nil }
            guard let ms = value.intValue else { throw EventDecodingError("turn_metrics: \"\(key)\" is not an integer") }
            return ms
        }
        guard let turn = json["turn"]?.intValue else { throw EventDecodingError("turn_metrics: \"turn\" is missing or not an integer") }
        guard let mode = json["mode"]?.stringValue.flatMap(Mode.init(rawValue:)) else {
            throw EventDecodingError("turn_metrics: \"mode\" is missing or not voice or text")
        }
        var tools: [Int] = []
        for value in json["tool_ms"]?.arrayValue ?? [] {
            guard let ms = value.intValue else { throw EventDecodingError("turn_metrics: \"tool_ms\" holds a non-integer") }
            tools.append(ms)
        }
        self.init(
            turn: turn, mode: mode, voiceToVoiceMs: try ms("voice_to_voice_ms"), endpointingMs: try ms("endpointing_ms"),
            transcriptMs: try ms("transcript_ms"), responseToTextMs: try ms("response_to_text_ms"),
            responseToAudioMs: try ms("response_to_audio_ms"), firstTextMs: try ms("first_text_ms"),
            firstAudioMs: try ms("first_audio_ms"), doneMs: try ms("done_ms"), agentAudioMs: try ms("agent_audio_ms") ?? 0,
            interrupted: json["interrupted"]?.boolValue ?? false, heardMs: try ms("heard_ms"), toolMs: tools,
            pingMs: try ms("ping_ms"), talkOverMs: try ms("talk_over_ms"))
    }

    /// One line for the inspector and replay: `#3 voice v2v 820 ms, first text 610 ms, …`.
    public var summary: String {
        var parts = ["#\(turn) \(mode.rawValue)"]
        func add(_ label: String, _ value: Int?) { if let value { parts.append("\(label) \(value) ms") } }
        add("v2v", voiceToVoiceMs)
        add("endpointing", endpointingMs)
        add("asr", transcriptMs)
        add("first text", firstTextMs)
        add("first audio", firstAudioMs)
        add("done", doneMs)
        if agentAudioMs > 0 { parts.append("reply \(agentAudioMs) ms") }
        if interrupted { parts.append("interrupted" + (heardMs.map { " after \($0) ms" } ?? "")) }
        if !toolMs.isEmpty { parts.append("tools " + toolMs.map { "\($0) ms" }.joined(separator: "/")) }
        add("ping", pingMs)
        if let talkOverMs, talkOverMs > 0 { parts.append("talk-over \(talkOverMs) ms") }
        return parts.joined(separator: ", ")
    }
}
