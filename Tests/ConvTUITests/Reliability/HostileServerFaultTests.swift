import ConvEngine
import Foundation
import Testing
import TestSupport

/// Faults from a hostile server (`Tests/Tools/hostile_server.py`, written without convtui's
/// code) over live sockets, in one session of a `convtui run` beside a healthy session on the
/// same server (`steady`: one agent text every 100 ms on a fixed schedule) and a simulated one.
/// Each fault ends or marks only its session, with a reason, within a bound; its log holds
/// every event it printed up to and including the fault; the others keep receiving.
@Suite(
    "Faults from a hostile server stay in their session", .serialized,
    .enabled(if: HostileServer.isAvailable, "python3 is not installed: skipping hostile-server tests"))
struct HostileServerFaultTests {
    /// The session hit by the fault, beside `steady` and `sim`.
    private func run(_ label: String, hit backend: String, _ behaviour: String, on server: HostileServer) throws -> HeadlessRun {
        try HeadlessRun(label: "convtui-\(label)", sessions: [
            HeadlessRun.session("steady", backend: "elevenlabs", port: server.port, behaviour: "steady"),
            HeadlessRun.simulated("sim"),
            HeadlessRun.session("hit", backend: backend, port: server.port, behaviour: behaviour),
        ])
    }

    private static func seconds(_ event: [String: Any]?) -> Double? { event?["t"] as? Double }

    private static func first(_ type: String, in events: [[String: Any]]) -> [String: Any]? {
        events.first { $0["type"] as? String == type }
    }

    private static func texts(_ events: [[String: Any]]) -> [String] {
        events.compactMap { $0["type"] as? String == "agent_text_done" ? $0["text"] as? String : nil }
    }

    /// `steady` and `sim` are still running and keep receiving from now on.
    private func expectOthersCarryOn(_ run: HeadlessRun, sourceLocation: SourceLocation = #_sourceLocation) async {
        let steady = run.events("steady").count
        let sim = run.events("sim").count
        #expect(
            await eventually(every: .milliseconds(50)) { run.events("steady").count >= steady + 5 && run.events("sim").count > sim },
            "the other sessions keep receiving", sourceLocation: sourceLocation)
        #expect(!run.isOver("steady") && !run.isOver("sim"), "the other sessions are still running", sourceLocation: sourceLocation)
    }

    /// Quits, then checks every log: readable, and the hit session's log is exactly what it
    /// printed. The server did what it was told: no traceback from the test server itself.
    private func expectCleanExitAndCompleteLogs(
        _ run: HeadlessRun, server: HostileServer, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        #expect(!server.errors.contains("Traceback"), "the hostile server failed: \(server.errors)", sourceLocation: sourceLocation)
        #expect(await run.quit() == 0, "the process exits normally: \(run.process.stderr)", sourceLocation: sourceLocation)
        for name in ["steady", "sim", "hit"] {
            #expect(try run.log(name).problems.isEmpty, "\(name)'s log reads cleanly", sourceLocation: sourceLocation)
        }
        #expect(try run.logDifferences("hit") == [], "the hit session's log is complete", sourceLocation: sourceLocation)
    }

    // MARK: Connection reset mid-frame

    /// The server sends three texts, then part of a frame (one header byte, or a header and 100
    /// of the 4 000 payload bytes it announces), then a TCP reset (SO_LINGER 0).
    @Test(arguments: [("reset-header", "elevenlabs"), ("reset-payload", "openai")])
    func resetMidFrameFailsOnlyItsSession(behaviour: String, backend: String) async throws {
        let server = try await HostileServer()
        let run = try run("reset", hit: backend, behaviour, on: server)
        #expect(await eventually(every: .milliseconds(50)) { run.failure("hit") != nil }, "the reset fails the session")
        let events = run.events("hit")
        let failure = run.failure("hit") ?? ""
        let delay = (Self.seconds(Self.first("failed", in: events)) ?? .infinity) - (Self.seconds(Self.first("connected", in: events)) ?? 0)
        // The server resets 0.7 s after the opening event.
        #expect(delay < 5, "failed \(delay) s after connecting")
        #expect(failure.lowercased().contains("reset"), "the reason names the reset: \(failure)")
        #expect(Self.texts(events) == ["before reset 1", "before reset 2", "before reset 3"])
        await expectOthersCarryOn(run)
        try await expectCleanExitAndCompleteLogs(run, server: server)
        #expect(try run.log("hit").events.last.map { if case .failed = $0.kind { true } else { false } } == true)
        print("fault \(behaviour) (\(backend)): failed \(String(format: "%.2f", delay)) s after connecting: \(failure)")
    }

    /// Spec for the transport: a connection that was open and then reset is not a failure to
    /// connect.
    @Test func resetAfterOpeningIsNotReportedAsAConnectFailure() async throws {
        let server = try await HostileServer()
        let run = try run("reset", hit: "elevenlabs", "reset-payload", on: server)
        #expect(await eventually(every: .milliseconds(50)) { run.failure("hit") != nil })
        let failure = run.failure("hit") ?? ""
        #expect(!failure.hasPrefix("cannot connect"), "\(failure)")
        #expect(failure.lowercased().contains("reset"), "\(failure)")
        #expect(await run.quit() == 0)
    }

    // MARK: Valid JSON of the wrong shape

    /// Arrays, bare values, a numeric `type`, a payload that is a number, a number where a text
    /// belongs, missing fields: each is one `malformed_event` with a reason, nothing else (no
    /// empty turn, no new conversation id, no tool call answered), and the session goes on.
    @Test(arguments: ["elevenlabs", "openai"])
    func wrongShapeJSONIsRecordedAndTheSessionGoesOn(backend: String) async throws {
        let server = try await HostileServer()
        let run = try run("wrong-shape", hit: backend, "wrong-shape", on: server)
        #expect(await eventually(every: .milliseconds(50)) { Self.texts(run.events("hit")).contains("steady 3") })
        let events = run.events("hit")
        let connected = try #require(events.firstIndex { $0["type"] as? String == "connected" })
        let after = try #require(events.firstIndex { $0["text"] as? String == "after wrong shapes" })
        // Alerts are the session's own reading of the burst (error_burst), not frames.
        let window = events[(connected + 1)..<after].filter { $0["type"] as? String != "alert" }
        #expect(window.count >= 15, "every wrong-shape frame is recorded: \(window.count)")
        for event in window {
            let detail = event["detail"] as? String ?? ""
            #expect(event["type"] as? String == "malformed_event" && !detail.isEmpty, "\(event)")
        }
        #expect(events.filter { $0["type"] as? String == "connected" }.count == 1, "the conversation id is not replaced")
        #expect(!events.contains { ["tool_call", "tool_result"].contains($0["type"] as? String) }, "no phantom tool call")
        #expect(!run.isOver("hit"), "wrong shapes are not fatal")
        await expectOthersCarryOn(run)
        try await expectCleanExitAndCompleteLogs(run, server: server)
        let logged = try run.log("hit").events.filter { if case .malformed = $0.kind { true } else { false } }
        #expect(logged.count == window.count, "the log records every wrong-shape frame")
        print("fault wrong-shape (\(backend)): \(window.count) frames recorded as malformed, session still live")
    }

    // MARK: Frames over 16 MiB

    /// One agent audio frame of 17.3 MiB (13 MiB of audio in base64): under the 32 MiB limit, so
    /// it arrives whole and is counted to the byte.
    @Test(arguments: ["elevenlabs", "openai"])
    func frameOverSixteenMebibytesArrivesWhole(backend: String) async throws {
        let server = try await HostileServer()
        let run = try run("big", hit: backend, "big", on: server)
        let audioBytes = 13 << 20
        #expect(WebSocketTransport<ElevenLabsConversation>.maxMessageBytes > audioBytes * 4 / 3, "the frame is under the limit")
        #expect(await eventually(timeout: .seconds(30), every: .milliseconds(50)) { Self.texts(run.events("hit")).contains("steady 2") })
        let events = run.events("hit")
        let audio = try #require(Self.first("agent_audio", in: events), "the big frame arrived")
        #expect(audio["bytes"] as? Int == audioBytes, "all of it: \(audio)")
        #expect(Self.texts(events).first == "after big")
        #expect(!run.isOver("hit"))
        let delay = (Self.seconds(audio) ?? .infinity) - (Self.seconds(Self.first("connected", in: events)) ?? 0)
        await expectOthersCarryOn(run)
        try await expectCleanExitAndCompleteLogs(run, server: server)
        print("fault big frame (\(backend)): 17.3 MiB frame handled \(String(format: "%.2f", delay)) s after connecting")
    }

    /// A message over the 32 MiB limit, as one frame or as three frames each under it: that
    /// session fails, alone, within the bound.
    @Test(arguments: ["too-big", "too-big-fragmented"])
    func messageOverTheLimitFailsOnlyItsSession(behaviour: String) async throws {
        let server = try await HostileServer()
        let run = try run("too-big", hit: "elevenlabs", behaviour, on: server)
        #expect(await eventually(timeout: .seconds(30), every: .milliseconds(50)) { run.failure("hit") != nil }, "the session fails")
        let events = run.events("hit")
        let before = Self.seconds(events.first { $0["text"] as? String == "before too-big" }) ?? 0
        let delay = (Self.seconds(Self.first("failed", in: events)) ?? .infinity) - before
        #expect(delay < 15, "failed \(delay) s after the last good frame")
        #expect(!(run.failure("hit") ?? "").isEmpty)
        await expectOthersCarryOn(run)
        try await expectCleanExitAndCompleteLogs(run, server: server)
        print("fault \(behaviour): failed \(String(format: "%.2f", delay)) s after the last good frame: \(run.failure("hit") ?? "-")")
    }

    /// Spec for the transport: the reason says the message was too big, not that the
    /// connection was lost or never made.
    @Test(arguments: ["too-big", "too-big-fragmented"])
    func messageOverTheLimitIsReportedAsTooBig(behaviour: String) async throws {
        let server = try await HostileServer()
        let run = try run("too-big", hit: "elevenlabs", behaviour, on: server)
        #expect(await eventually(timeout: .seconds(30), every: .milliseconds(50)) { run.failure("hit") != nil })
        let failure = run.failure("hit") ?? ""
        #expect(failure.contains("too big") || failure.contains("too large"), "\(failure)")
        #expect(!failure.hasPrefix("cannot connect"), "\(failure)")
        #expect(await run.quit() == 0)
    }

    // MARK: Slow consumer

    /// "Slow consumer" here: the server writes 20 000 agent audio frames of 2 kB (40 MB) as
    /// fast as the socket takes them, far faster than one session decodes, records and prints
    /// them. The session must keep up (every frame counted, in order) or fail with a reason; it
    /// must not buffer the backlog (TCP flow control keeps it in the server's send buffer), and
    /// the other sessions' event rates must not drop.
    @Test func floodingServerNeitherBloatsNorStarvesOthers() async throws {
        let server = try await HostileServer()
        let frames = 20_000
        let run = try run("flood", hit: "elevenlabs", "flood-\(frames)-2000", on: server)
        #expect(await eventually(every: .milliseconds(50)) { Self.first("connected", in: run.events("hit")) != nil })
        // The server builds the flood after its opening event: memory now is the baseline.
        let baseline = try #require(Self.memory("VmRSS", of: run.process.processIdentifier))
        let done = await eventually(timeout: .seconds(120), every: .milliseconds(200)) {
            run.events("hit").contains { $0["text"] as? String == "flood done" || $0["type"] as? String == "failed" }
        }
        #expect(done, "the flood is over within 120 s")
        let peak = try #require(Self.memory("VmHWM", of: run.process.processIdentifier))
        await expectOthersCarryOn(run)
        try await expectCleanExitAndCompleteLogs(run, server: server)

        // Counted in the logs: stdout may drop lines for this test's reader when it lags.
        let hit = try run.loggedEvents("hit")
        let audio = hit.filter { $0["type"] as? String == "agent_audio" }
        #expect(!hit.contains { $0["type"] as? String == "failed" }, "the session keeps up: \(run.failure("hit") ?? "")")
        #expect(audio.count == frames, "every frame is counted")
        #expect(audio.map { $0["event_id"] as? Int ?? 0 } == Array(1...frames), "in order")
        // The backlog stays out of this process: 40 MB went through it, and it grows by at most 24 MiB.
        #expect(peak - baseline < 24 << 20, "peak memory \(peak >> 20) MiB, \(baseline >> 20) MiB before the flood")
        // During the flood the steady session still gets its 10 texts a second.
        let first = Self.seconds(audio.first) ?? 0
        let last = Self.seconds(audio.last) ?? 0
        func rate(_ events: [[String: Any]]) -> Double {
            Double(events.filter { (first..<last).contains(Self.seconds($0) ?? 0) }.count) / max(last - first, 0.001)
        }
        let steadyRate = rate(try run.loggedEvents("steady").filter { $0["type"] as? String == "agent_text_done" })
        #expect(last - first < 1 || steadyRate >= 8, "steady got \(steadyRate) texts/s during the flood")
        print(
            "fault flood: \(audio.count) frames in \(String(format: "%.1f", last - first)) s, memory \(baseline >> 20) MiB before, "
                + "peak \(peak >> 20) MiB; during it steady \(String(format: "%.1f", steadyRate)) texts/s, "
                + "sim \(String(format: "%.1f", rate(try run.loggedEvents("sim")))) events/s")
    }

    /// A `/proc/PID/status` figure (`VmRSS`, `VmHWM`) in bytes.
    private static func memory(_ field: String, of pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return nil }
        return kilobytes * 1024
    }
}
