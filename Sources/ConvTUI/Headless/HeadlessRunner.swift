import ConsoleCore
import ConvEngine
import Foundation
import Glibc

/// Runs a board without a screen: events out as JSON lines, line commands in on stdin.
///
/// Each stdin line is answered on stdout by an `ack` or a `command_error` (``HeadlessReply``);
/// commands go through the same ``LiveDispatcher`` as the console's keys. End of stdin does
/// not end the run (a pipeline may close it early); `quit`, the duration, SIGINT, SIGTERM,
/// SIGHUP and a closed stdout (`… | head -1`) do, and the sessions' `ended` events say which.
/// On the way out every session is stopped and its log closed, queued stdout lines are
/// written, and the log directory is named on stderr.
struct HeadlessRunner {
    let board: SessionBoard
    let output: HeadlessOutput
    let logDirectory: String?

    private enum Input: Sendable {
        case line(InputLines.Line)
        case endOfInput
        case stop(StopReason)
    }

    /// Runs until told to stop.
    func run(duration: Duration?) async {
        let (inputs, continuation) = AsyncStream.makeStream(of: Input.self)
        let signals = StopSignals { _ in continuation.yield(.stop(.signal)) }
        output.whenStdoutCloses { continuation.yield(.stop(.stdoutClosed)) }
        // A thread of its own: reading stdin blocks for the whole run, and a blocked thread of
        // Dispatch's global pool is one fewer for the Swift tasks that share it.
        let reader = Thread {
            Self.readLines(from: 0) { continuation.yield(.line($0)) }
            continuation.yield(.endOfInput)
        }
        reader.name = "convtui-stdin"
        reader.start()
        let timer = duration.map { limit in
            Task {
                try? await Task.sleep(for: limit)
                continuation.yield(.stop(.duration))
            }
        }
        let dispatcher = LiveDispatcher(board: board)
        let commands = HeadlessCommand(names: board.sessions.map(\.name))
        for warning in commands.addressWarnings() { output.diagnostic("warning: \(warning)") }
        board.startAutostarted()
        let alertWatch = Task { [board] in await board.watchAlerts() }
        var lineNumber = 0
        var reason = StopReason.quit
        loop: for await input in inputs {
            switch input {
            case .line(let line):
                lineNumber += 1
                if handle(line, number: lineNumber, commands: commands, dispatcher: dispatcher) == .quit { break loop }
            case .endOfInput:
                continue
            case .stop(let why):
                reason = why
                break loop
            }
        }
        timer?.cancel()
        alertWatch.cancel()
        signals.cancel()
        await dispatcher.shutdown(reason: reason.rawValue)
        await output.finish()
        if let logDirectory {
            output.diagnostic("convtui: session logs in \(TextSanitizer.sanitize(logDirectory))")
        }
    }

    /// Reads `descriptor` to its end, handing over each line (capped, see ``InputLines``).
    private static func readLines(from descriptor: Int32, _ line: (InputLines.Line) -> Void) {
        var lines = InputLines()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            for complete in lines.feed(buffer[..<count]) { line(complete) }
        }
        if let last = lines.finish() { line(last) }
    }

    private enum Outcome { case carryOn, quit }

    private func handle(_ line: InputLines.Line, number: Int, commands: HeadlessCommand, dispatcher: LiveDispatcher) -> Outcome {
        let output = output
        let failed: @Sendable (String) -> Void = { message in
            output.json(HeadlessReply.commandError(line: number, message))
            output.diagnostic("error: line \(number): \(TextSanitizer.sanitize(message))")
        }
        let text: String
        switch line {
        case .tooLong(let bytes):
            failed("line of \(bytes) bytes is over the \(InputLines.maximumLength)-byte limit; ignored")
            return .carryOn
        case .text(let read): text = read
        }
        if text.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { return .carryOn }
        let request: HeadlessRequest
        switch commands.parse(text) {
        case .success(let parsed): request = parsed
        case .failure(let error):
            failed(error.message)
            return .carryOn
        }
        output.json(HeadlessReply.ack(line: number, request, names: commands.names))
        switch request {
        case .quit: return .quit
        case .help: output.json(HeadlessReply.help)
        case .snapshot(let index):
            let session = board.sessions[index]
            dispatcher.after(session: index) { output.json(session.snapshot.json) }
        case .metrics(let index):
            let session = board.sessions[index]
            dispatcher.after(session: index) { output.json(session.snapshot.metricsJSON) }
        case .alerts: output.json(board.alertsJSON())
        case .live(let command): dispatcher.perform(command, failed: failed)
        }
        return .carryOn
    }
}
