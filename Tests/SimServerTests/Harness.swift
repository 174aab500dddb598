import Foundation
import ConvEngine
import SimServer
import Testing

/// Every event a session consumed, for assertions.
final class EventLog: Sendable {
    private let events = Locked<[SessionEvent]>([])

    func record(_ event: SessionEvent) {
        events.withLock { $0.append(event) }
    }

    var all: [SessionEvent.Kind] { events.withLock { $0.map(\.kind) } }

    /// The session's own stamp (µs) of the first event that matches.
    func offset(of matches: (SessionEvent.Kind) -> Bool) -> Int64? {
        events.withLock { $0.first { matches($0.kind) }?.offset }
    }

    func count(where matches: (SessionEvent.Kind) -> Bool) -> Int {
        all.filter(matches).count
    }

    func contains(where matches: (SessionEvent.Kind) -> Bool) -> Bool {
        all.contains(where: matches)
    }

    /// The conversation ids announced so far, in order.
    var conversationIds: [String] {
        all.compactMap { if case .connected(let id) = $0 { id } else { nil } }
    }

    /// The texts of finished agent turns.
    var agentTexts: [String] {
        all.compactMap { if case .agentTextDone(_, let text) = $0 { text } else { nil } }
    }
}


/// A fast simulator server on a free loopback port for the duration of `body`.
func withSimServer(
    _ options: SimServerOptions = SimServerOptions(port: 0, pieceInterval: .milliseconds(10)),
    _ body: (Int) async throws -> Void
) async throws {
    let server = SimServer(options: options)
    let port = try await server.start()
    do {
        try await body(port)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}

/// A session with its event log.
func makeSession(
    number: Int = 1, name: String = "test", backend: String, idleAudio: IdleAudio = .nothing, factory: @escaping TransportFactory
) throws -> (ConversationSession, EventLog) {
    let log = EventLog()
    let session = try ConversationSession(
        number: number, name: name, backend: backend, observer: { log.record($0) }, idleAudio: idleAudio,
        makeTransport: factory)
    return (session, log)
}

func elevenLabs(
    port: Int, agent: String = "echo", apiKey: String? = nil, reconnect: ReconnectPolicy? = nil,
    receiveTimeout: Duration? = WebSocketTransport<ElevenLabsConversation>.defaultReceiveTimeout
) -> TransportFactory {
    ElevenLabsTransport.factory(
        ElevenLabsOptions(baseURL: "ws://127.0.0.1:\(port)", agentId: agent, apiKey: apiKey),
        settings: .init(reconnect: reconnect, receiveTimeout: receiveTimeout))
}

/// An ElevenLabs session with options of its own (overrides, tools, approvals).
func elevenLabs(port: Int, agent: String = "echo", configure: (inout ElevenLabsOptions) -> Void) -> TransportFactory {
    var options = ElevenLabsOptions(baseURL: "ws://127.0.0.1:\(port)", agentId: agent)
    configure(&options)
    return ElevenLabsTransport.factory(options, settings: .init())
}

/// `audio` followed by `milliseconds` of digital silence, as a microphone would go on sending.
func withTrailingSilence(_ audio: AudioChunk, milliseconds: Int) -> AudioChunk {
    AudioChunk(pcm: audio.pcm + [UInt8](repeating: 0, count: audio.sampleRate * milliseconds / 1000 * 2), sampleRate: audio.sampleRate)
}

func openAI(
    port: Int, dialect: RealtimeDialect = .ga, serverVAD: Bool = true, interruptResponse: Bool = true, modalities: [String] = ["audio"],
    reconnect: ReconnectPolicy? = nil, receiveTimeout: Duration? = WebSocketTransport<OpenAIRealtimeConversation>.defaultReceiveTimeout
) -> TransportFactory {
    OpenAIRealtimeTransport.factory(
        OpenAIRealtimeOptions(
            baseURL: "ws://127.0.0.1:\(port)/v1", model: "echo", apiKey: "sk-test", dialect: dialect,
            outputModalities: modalities, serverVAD: serverVAD, interruptResponse: interruptResponse),
        settings: .init(reconnect: reconnect, receiveTimeout: receiveTimeout))
}

extension EventLog {
    /// The server errors received, as `code: message`.
    var serverErrors: [String] {
        all.compactMap { if case .serverError(let code, let message) = $0 { "\(code): \(message)" } else { nil } }
    }
}

/// Half a second of a 440 Hz tone as a stereo 44.1 kHz WAV file, read back as mono audio.
func wavFixture() throws -> AudioChunk {
    let rate = 44100
    var stereo: [Int16] = []
    for i in 0..<(rate / 2) {
        let value = Int16(8000 * sin(Double(i) * 2 * .pi * 440 / Double(rate)))
        stereo += [value, value]
    }
    let pcm = AudioChunk(samples: stereo, sampleRate: rate).pcm
    var header = WAVFile.header(sampleRate: rate, dataBytes: pcm.count)
    // Patch the header to two channels: channels, byte rate and block align.
    header[22] = 2
    let byteRate = rate * 4
    header[28] = UInt8(byteRate & 0xFF); header[29] = UInt8(byteRate >> 8 & 0xFF); header[30] = UInt8(byteRate >> 16 & 0xFF)
    header[32] = 4
    return try WAVFile.decode(header + pcm)
}

extension ConversationSession {
    var phase: SessionPhase { snapshot.state.phase }
}
