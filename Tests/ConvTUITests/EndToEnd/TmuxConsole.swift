import Foundation
import Glibc
import TestSupport
import Testing

/// The real `convtui` binary running in a detached tmux server of its own, for end-to-end
/// tests: keys go in with `send-keys`, the screen comes out with `capture-pane`.
struct TmuxConsole {
    /// Whether tmux can be run here at all.
    static let isAvailable: Bool = (try? run(["tmux", "-V"]).status) == 0

    /// The binary built with these tests, next to their bundle (as every end-to-end test
    /// finds it): under `scripts/tsan.sh` the sanitized one in `.build-tsan`, not `.build`'s.
    static var binary: String? {
        FileManager.default.isExecutableFile(atPath: ConvtuiProcess.binaryPath) ? ConvtuiProcess.binaryPath : nil
    }

    let socket: String
    let directory: URL
    var logDirectory: URL { directory.appendingPathComponent("logs") }
    var stderrFile: URL { directory.appendingPathComponent("stderr.txt") }

    /// Starts `convtui ARGUMENTS --record-dir <temp>/logs` (without `--record-dir` when
    /// `records` is false) in a `width`×`height` window.
    init(_ arguments: [String], width: Int = 120, height: Int = 40, environment: [String: String] = [:], records: Bool = true) throws {
        let binary = try #require(Self.binary, "build convtui first (swift build)")
        socket = "convtui-console-e2e-\(UUID().uuidString.prefix(8))"
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(socket)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var variables = ["LANG": "C.UTF-8", "TERM": "tmux-256color"]
        variables.merge(environment) { $1 }
        let exports = variables.map { "\($0.key)='\($0.value)'" }.sorted().joined(separator: " ")
        let command = "env \(exports) '\(binary)' \(arguments.joined(separator: " "))\(records ? " --record-dir '\(logDirectory.path)'" : "") 2>'\(stderrFile.path)'; echo \"exit $?\" >>'\(stderrFile.path)'"
        // The tmux server this starts keeps whatever output it inherits open: give it none.
        let started = try Self.run(
            ["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)", command], capture: false)
        try #require(started.status == 0, "tmux did not start")
        // Keep the window the size asked for even without a client attached.
        _ = try? Self.run(["tmux", "-L", socket, "set-option", "-g", "window-size", "manual"])
    }

    /// Runs a tmux command on this console's server and returns its output. Off the
    /// cooperative pool: tmux is waited for with waitpid, and with several console tests at
    /// once those waits held the pool's 2 threads on a loaded machine and starved every other
    /// test.
    @discardableResult
    func tmux(_ arguments: [String]) async throws -> String {
        let command = ["tmux", "-L", socket] + arguments
        return try await onOwnThread { Result { try Self.run(command).output } }.get()
    }

    /// Keys by tmux name (`Tab`, `Enter`, `PageUp`, `x`).
    func press(_ keys: String...) async throws {
        try await tmux(["send-keys"] + keys)
    }

    /// Text typed literally.
    func type(_ text: String) async throws {
        try await tmux(["send-keys", "-l", text])
    }

    func screen() async throws -> String {
        try await tmux(["capture-pane", "-p"])
    }

    func resize(width: Int, height: Int) async throws {
        try await tmux(["resize-window", "-x", "\(width)", "-y", "\(height)"])
    }

    var paneTitle: String {
        get async throws { try await tmux(["display-message", "-p", "#{pane_title}"]) }
    }

    /// Polls the screen until `condition` holds; fails the test with the last screen if it
    /// never does.
    @discardableResult
    func waitFor(
        _ what: String, timeout: Duration = .seconds(30), sourceLocation: SourceLocation = #_sourceLocation,
        _ condition: (String) -> Bool
    ) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            last = (try? await screen()) ?? ""
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting for \(what); screen:\n\(last)", sourceLocation: sourceLocation)
        return last
    }

    /// Waits for the program to exit and returns what it wrote on stderr.
    func waitForExit(timeout: Duration = .seconds(30)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOf: stderrFile, encoding: .utf8), text.contains("exit ") { return text }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("convtui did not exit")
        return (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? ""
    }

    /// Ends convtui and the tmux server. `kill-server` alone hangs up only the pane's shell:
    /// convtui, its child, kept running (and the server with it) long after the test, loading
    /// the rest of the run. The pane's process group is the shell and convtui.
    func close() {
        let pane = ((try? Self.run(["tmux", "-L", socket, "display-message", "-p", "#{pane_dead} #{pane_pid}"]).output) ?? "")
            .split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        // Only a live pane: a dead one's pid may belong to another process by now.
        if pane.count == 2, pane[0] == "0", let pid = pid_t(pane[1]), pid > 1 {
            kill(-pid, SIGHUP)
        }
        _ = try? Self.run(["tmux", "-L", socket, "kill-server"])
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs a command and waits for it, with posix_spawn and waitpid rather than Foundation's
    /// `Process`. Output goes to a file, not a pipe: a tmux server forked by a test running in
    /// parallel could inherit a pipe's write end and keep a read waiting forever.
    static func run(_ arguments: [String], capture: Bool = true) throws -> (status: Int32, output: String) {
        let outputPath = capture ? FileManager.default.temporaryDirectory.appendingPathComponent("convtui-console-e2e-out-\(UUID().uuidString)").path : "/dev/null"
        defer { if capture { try? FileManager.default.removeItem(atPath: outputPath) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .ENOENT) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = capture ? ((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "") : ""
        return ((status >> 8) & 0xFF, output)
    }
}
