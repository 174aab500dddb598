import Dispatch
import Glibc

/// SIGINT, SIGTERM and SIGHUP delivered to a handler instead of ending the process, so a
/// command can stop its sessions, close its logs (and restore the terminal) on the way out.
/// SIGPIPE is ignored from then on: a closed stdout shows up as `EPIPE` from the write, which
/// the headless output turns into an orderly end (``HeadlessOutput/whenStdoutCloses(_:)``).
struct StopSignals {
    private let sources: [any DispatchSourceSignal]

    init(_ handler: @escaping @Sendable (Int32) -> Void) {
        signal(SIGPIPE, SIG_IGN)
        sources = [SIGINT, SIGTERM, SIGHUP].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    /// Stops watching (the signals stay ignored until the process exits).
    func cancel() {
        for source in sources { source.cancel() }
    }
}
