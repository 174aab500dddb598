import ConvEngine
import Dispatch
import Glibc

/// Runs a board without a screen: events out as JSON lines, line commands in on stdin.
///
/// End of stdin does not end the run (a pipeline may close it early); `quit`, the duration,
/// SIGINT, SIGTERM and a closed stdout (`… | head -1`) do. On the way out every session is
/// stopped and its log closed, queued stdout lines are written, and the log directory is named
/// on stderr.
struct HeadlessRunner {
    let board: SessionBoard
    let output: HeadlessOutput
    let logDirectory: String?

    private enum Input: Sendable {
        case line(String)
        case endOfInput
        case signal(Int32)
        case timeUp
        case stdoutClosed
    }

    /// Runs until told to stop; returns the process exit status.
    func run(duration: Duration?) async -> Int32 {
        let (inputs, continuation) = AsyncStream.makeStream(of: Input.self)
        let signals = StopSignals { continuation.yield(.signal($0)) }
        output.whenStdoutCloses { continuation.yield(.stdoutClosed) }
        DispatchQueue.global().async {
            while let line = readLine(strippingNewline: true) {
                continuation.yield(.line(line))
            }
            continuation.yield(.endOfInput)
        }
        let timer = duration.map { limit in
            Task {
                try? await Task.sleep(for: limit)
                continuation.yield(.timeUp)
            }
        }
        board.startAutostarted()
        loop: for await input in inputs {
            switch input {
            case .line(let line):
                if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
                if handle(line) == .quit { break loop }
            case .endOfInput:
                continue
            case .signal, .timeUp, .stdoutClosed:
                break loop
            }
        }
        timer?.cancel()
        signals.cancel()
        await board.shutdown()
        await output.finish()
        if let logDirectory {
            output.diagnostic("convtui: session logs in \(logDirectory)")
        }
        return 0
    }

    private enum Outcome { case carryOn, quit }

    private func handle(_ line: String) -> Outcome {
        let command: HeadlessCommand
        switch HeadlessCommand.parse(line) {
        case .success(let parsed): command = parsed
        case .failure(let error):
            output.diagnostic("error: \(error)")
            return .carryOn
        }
        func session(_ selector: String) -> ConversationSession? {
            if let session = board.session(selector) { return session }
            output.diagnostic("error: no session \"\(TextSanitizer.sanitize(selector))\" (1-\(board.sessions.count) or a name)")
            return nil
        }
        switch command {
        case .quit: return .quit
        case .startAll: board.startAll()
        case .stopAll: board.stopAll()
        case .start(let s): session(s)?.start()
        case .stop(let s): session(s)?.stop()
        case .restart(let s): session(s)?.restart()
        case .snapshot(let s):
            if let target = session(s) { output.json(target.snapshot.json) }
        case .send(let s, let text):
            if let target = session(s) {
                let output = output
                Task {
                    do {
                        try await target.sendText(text)
                    } catch {
                        output.diagnostic("error: send to \(target.name): \(error)")
                    }
                }
            }
        }
        return .carryOn
    }
}
