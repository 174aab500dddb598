/// Why a run ended, as the sessions' `ended` events say it at exit.
enum StopReason: String, Sendable {
    /// The operator quit (`q`, or `quit` on headless stdin).
    case quit
    /// `--duration` ran out.
    case duration
    /// SIGINT, SIGTERM or SIGHUP.
    case signal
    /// Standard output was closed by its reader (EPIPE: `… | head -1`).
    case stdoutClosed = "stdout closed"
}
