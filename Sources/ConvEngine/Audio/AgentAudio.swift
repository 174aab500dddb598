/// A piece of the agent's audio as it arrived, with the event id that the interruption
/// watermark is compared with (ElevenLabs' `event_id`, OpenAI's response number).
public struct AgentAudio: Sendable, Equatable {
    public let chunk: AudioChunk
    public let eventId: Int?

    public init(_ chunk: AudioChunk, eventId: Int?) {
        self.chunk = chunk
        self.eventId = eventId
    }
}
