import ConvEngine
import Foundation
import Testing
import TestSupport

/// `convtui run CONFIG --headless --record-dir DIR` over sessions given as TOML (`reconnect`
/// off, so a fault ends its run instead of being retried), with what it printed by session
/// name and each session's log, for fault tests.
struct HeadlessRun {
    let process: ConvtuiProcess
    let directory: String
    private var logDirectory: String { directory + "/logs" }
    init(label: String, sessions: [String]) throws {
        directory = makeTemporaryDirectory(label)
        let config = directory + "/sessions.toml"
        try (["reconnect = false"] + sessions).joined(separator: "\n\n").write(toFile: config, atomically: true, encoding: .utf8)
        process = try ConvtuiProcess(["run", config, "--headless", "--record-dir", directory + "/logs"], environment: ["CONVTUI_SIM_KEY": "sk-sim"])
    }

    /// A `[[session]]` block for a WebSocket backend on a loopback server; `behaviour` is the
    /// agent id (ElevenLabs) or model (OpenAI).
    static func session(_ name: String, backend: String, port: Int, behaviour: String) -> String {
        let target = backend == "openai"
            ? "url = \"ws://127.0.0.1:\(port)/v1\"\nmodel = \"\(behaviour)\"\napi_key_env = \"CONVTUI_SIM_KEY\""
            : "url = \"ws://127.0.0.1:\(port)\"\nagent_id = \"\(behaviour)\""
        return "[[session]]\nname = \"\(name)\"\nbackend = \"\(backend)\"\n\(target)"
    }

    /// A simulated session in the same process.
    static func simulated(_ name: String) -> String {
        "[[session]]\nname = \"\(name)\"\nbackend = \"sim\""
    }

    /// Every event printed so far, in order.
    var allEvents: [[String: Any]] { process.jsonLines }

    /// Every event printed so far for the session `name`.
    func events(_ name: String) -> [[String: Any]] {
        allEvents.filter { $0["name"] as? String == name }
    }

    /// The session's failure, once it has failed.
    func failure(_ name: String) -> String? {
        events(name).last { $0["type"] as? String == "failed" }?["error"] as? String
    }

    /// Whether the session's run is over (failed or ended).
    func isOver(_ name: String) -> Bool {
        events(name).contains { ["failed", "ended"].contains($0["type"] as? String) }
    }

    /// Sends `quit` and returns the exit status (nil if it did not exit in time).
    func quit(timeout: Duration = .seconds(30)) async -> Int32? {
        process.send("quit")
        return await process.waitForExit(timeout: timeout)
    }

    /// The log of session `name`, read back as `convtui log check` reads it.
    func log(_ name: String) throws -> SessionLog {
        try SessionLogReader.read(path: try logPath(name))
    }

    /// Every event in the log of session `name`, as the JSON objects its lines are: the record
    /// to count on where stdout may have dropped lines for a test that read it too slowly.
    func loggedEvents(_ name: String) throws -> [[String: Any]] {
        try String(contentsOfFile: try logPath(name), encoding: .utf8).split(separator: "\n").dropFirst().compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// After the process has exited: the differences between the events printed for session
    /// `name` and the lines of its log. Empty means the log holds every printed event, in order,
    /// byte for byte, and nothing else, and that the only logged events missing from stdout are
    /// lines headless output dropped for a reader that lagged (at most as many as it said).
    func logDifferences(_ name: String) throws -> [String] {
        let number = try #require(events(name).first?["session"] as? Int, "\(name) printed nothing")
        let printed = process.stdout.split(separator: "\n").compactMap(HeadlessLine.init).filter { $0.session == number }.map(\.event)
        let logged = try String(contentsOfFile: try logPath(name), encoding: .utf8).split(separator: "\n").dropFirst()
        var differences: [String] = []
        var next = printed.startIndex
        var unprinted = 0
        for line in logged {
            if next < printed.endIndex, printed[next] == line {
                next += 1
            } else {
                unprinted += 1
            }
        }
        if next < printed.endIndex {
            differences.append("printed event \(next + 1) is not in the log (in order): \(printed[next])")
        }
        let dropped = droppedLines
        if unprinted > dropped {
            differences.append("\(unprinted) logged events were not printed; stdout dropped \(dropped) lines")
        }
        return differences
    }

    /// How many stdout lines the run said it dropped: its count on stderr at exit, else the sum
    /// of its `output_dropped` lines.
    private var droppedLines: Int {
        let stderr = process.stderr
        if let range = stderr.range(of: #"convtui: (\d+) stdout lines dropped"#, options: .regularExpression),
            let count = Int(stderr[range].split(separator: " ")[1])
        {
            return count
        }
        return allEvents.filter { $0["type"] as? String == "output_dropped" }.reduce(0) { $0 + ($1["lines"] as? Int ?? 0) }
    }

    private func logPath(_ name: String) throws -> String {
        let file = try #require(
            try FileManager.default.contentsOfDirectory(atPath: logDirectory).first { $0.hasSuffix("-\(name).jsonl") },
            "no log for \(name)")
        return logDirectory + "/" + file
    }
}
