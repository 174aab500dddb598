import ConvEngine

/// How the simulator server behaves.
public struct SimServerOptions: Sendable, Equatable {
    public var host: String
    /// 0 picks a free port (tests).
    public var port: Int
    public var seed: UInt64
    /// End each conversation abruptly (close 1011, as a crashed server would) this long after it opened.
    public var dropAfter: Duration?
    /// Stop sending anything (`ping` events included) this long after a conversation opened; the
    /// socket stays open and the WebSocket layer still answers pings and closes, as a server
    /// whose conversation hung would.
    public var stallAfter: Duration?
    /// Chance per agent turn of a malformed frame.
    public var malformedRate: Double
    /// Chance per agent turn of a non-fatal error event.
    public var errorRate: Double
    /// Benchmark load: every ElevenLabs conversation gets an agent_response ten times a second
    /// and a ping every 0.5 s, whatever the client says.
    public var load: Bool
    public var pingInterval: Duration
    /// Time between streamed pieces and audio chunks of an agent turn.
    public var pieceInterval: Duration
    /// Connections served at once; more wait in the listen backlog (no accept spin at fd exhaustion).
    public var maxConnections = 256
    /// How long a client has to send a complete request head (slowloris clients are closed).
    public var headDeadline: Duration = .seconds(10)
    /// The largest client message (and frame); a longer one is closed with 1009. OpenAI takes
    /// at most 15 MiB of audio per append, which this holds once in base64 and JSON.
    public var maxMessageBytes = 21 << 20
    /// Bytes one connection may send per second, after a first burst that holds one message of
    /// ``maxMessageBytes``; past it nothing more is read from that client for a while (TCP
    /// pushes back), so it cannot starve the other conversations. Real-time audio is 43 KB/s
    /// (PCM 16 kHz in base64).
    public var inboundBytesPerSecond = 1 << 20
    /// ElevenLabs agents by id, as their dashboards would set them up; an id not listed is a
    /// public agent with ``ElevenLabsSimAgent``'s defaults.
    public var elevenLabsAgents: [String: ElevenLabsSimAgent] = [:]
    /// The key the signed-URL endpoint takes in `xi-api-key`; nil takes any non-empty key.
    public var elevenLabsAPIKey: String?
    /// ElevenLabs: quiet user audio (by audio time) that ends a user's turn.
    public var elevenLabsTurnSilence: Duration = .milliseconds(500)
    /// ElevenLabs: a conversation that gets no user input (any client message but a pong) for
    /// this long ends with `transport_receive_timeout` and close 1002; nil: never. Not applied
    /// in load mode, whose clients only answer pings.
    public var noInputTimeout: Duration? = .seconds(60)

    public init(
        host: String = "127.0.0.1", port: Int = 8765, seed: UInt64 = 1, dropAfter: Duration? = nil,
        stallAfter: Duration? = nil, malformedRate: Double = 0, errorRate: Double = 0, load: Bool = false,
        pingInterval: Duration = .seconds(2), pieceInterval: Duration = .milliseconds(40)
    ) {
        self.host = host
        self.port = port
        self.seed = seed
        self.dropAfter = dropAfter
        self.stallAfter = stallAfter
        self.malformedRate = malformedRate
        self.errorRate = errorRate
        self.load = load
        self.pingInterval = load ? .milliseconds(500) : pingInterval
        self.pieceInterval = pieceInterval
    }
}
