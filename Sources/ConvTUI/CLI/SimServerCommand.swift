import ArgumentParser
import ConvEngine
import SimServer

/// `convtui sim-server`: the simulator's personas over the real ElevenLabs and OpenAI protocols.
struct SimServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim-server",
        abstract: "Serve simulated agents over the ElevenLabs and OpenAI Realtime WebSocket protocols.",
        discussion: """
            ElevenLabs agents at ws://HOST:PORT/v1/convai/conversation (give an SDK the base URL \
            http://HOST:PORT); OpenAI Realtime at ws://HOST:PORT/v1/realtime (base URL \
            ws://HOST:PORT/v1). The agent id or model picks a persona (ava, lina, bruno, sam, echo). \
            User texts starting with "/sim" trigger behaviours (see docs/sim-server.md).
            """)

    @Option(help: "Address to bind (loopback unless told otherwise).")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8765

    @Option(help: "Seed for the personas' choices.")
    var seed: UInt64 = 1

    @Option(name: .customLong("drop-after"), help: "End each conversation with close 1011 after this many seconds.")
    var dropAfter: Double?

    @Option(name: .customLong("stall-after"), help: "Stop sending (socket left open) after this many seconds.")
    var stallAfter: Double?

    @Option(name: .customLong("malformed-rate"), help: "Chance per agent turn of a malformed frame (0-1).")
    var malformedRate = 0.0

    @Option(name: .customLong("error-rate"), help: "Chance per agent turn of a non-fatal error event (0-1).")
    var errorRate = 0.0

    @Flag(help: "Benchmark load: each ElevenLabs conversation gets 10 agent responses a second and a ping every 0.5 s.")
    var load = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        for (name, rate) in [("--malformed-rate", malformedRate), ("--error-rate", errorRate)] where !(0...1).contains(rate) {
            throw ValidationError("\(name) must be between 0 and 1")
        }
        try SecondsFlag.check(dropAfter, flag: "--drop-after")
        try SecondsFlag.check(stallAfter, flag: "--stall-after")
    }

    func run() async throws {
        let server = SimServer(
            options: SimServerOptions(
                host: host, port: port, seed: seed, dropAfter: SecondsFlag.duration(dropAfter), stallAfter: SecondsFlag.duration(stallAfter),
                malformedRate: malformedRate, errorRate: errorRate, load: load))
        let bound = try await server.start(handleSignals: true)
        let output = HeadlessOutput()
        output.diagnostic("convtui sim-server listening on \(host):\(bound)")
        output.diagnostic("  ElevenLabs: ws://\(host):\(bound)/v1/convai/conversation?agent_id=ava  (SDK base URL http://\(host):\(bound))")
        output.diagnostic("  OpenAI:     ws://\(host):\(bound)/v1/realtime?model=ava            (SDK base URL ws://\(host):\(bound)/v1)")
        if !WebSocketEndpoint.isLoopback(host) {
            output.diagnostic("  warning: bound to \(host), reachable from other machines")
        }
        try await server.waitUntilStopped()
    }
}
