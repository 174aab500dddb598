import Foundation
import Testing
import TestSupport

/// `convtui attach` against an agent that goes silent without closing its connection (a host
/// that vanished, a network partition): `Tests/Tools/hostile_server.py`'s `/v1/watch` says
/// hello, then never reads or answers again.
@Suite(
    "attach: a silent agent", .serialized,
    .enabled(if: HostileServer.isAvailable, "python3 is not installed: skipping hostile-server tests"))
struct AttachSilenceTests {
    @Test func aSilentAgentIsSaidUnreachableAndTriedAgain() async throws {
        let server = try await HostileServer()
        let attach = try ConvtuiProcess(
            ["attach", "--headless", "--silence-timeout", "1", "ws://127.0.0.1:\(server.port)"], environment: ["CONVTUI_TOKEN": "t"])
        let lines = { attach.jsonLines.filter { $0["host"] as? String == "127.0.0.1:\(server.port)" } }
        let retried = await eventually(timeout: .seconds(30)) {
            lines().filter { $0["type"] as? String == "host_connected" }.count >= 2
        }
        #expect(retried, "connected, lost for its silence, connected again: \(lines())")
        let lost = lines().first { $0["type"] as? String == "host_unreachable" }
        let reason = lost?["reason"] as? String ?? ""
        #expect(reason.hasPrefix("silent for ") && reason.hasSuffix(" s: a ping went unanswered"), "\(reason)")
        // A ping every 0.5 s; the one unanswered at the next ends it: not before 0.5 s of silence.
        let seconds = Double(reason.dropFirst("silent for ".count).prefix { $0 != " " }) ?? 0
        #expect(seconds >= 0.5, "\(reason)")
        attach.signal(SIGTERM)
        #expect(await attach.waitForExit() == 0)
    }
}
