import ArgumentParser
import Glibc

/// The console draws on a terminal: commands that open it refuse pipes up front, with the way
/// out (`--headless`) in the message.
enum TerminalRequirement {
    static func check(headless: Bool) throws {
        if !headless, isatty(STDIN_FILENO) == 0 || isatty(STDOUT_FILENO) == 0 {
            throw ValidationError("the console needs a terminal on stdin and stdout; use --headless for pipes")
        }
    }
}
