import ConsoleCore
import Glibc

/// The status bar's wall clock: local `HH:MM:SS`, and the second it shows, so the render loop
/// redraws once a second and not more when nothing else moves.
struct StatusClock {
    /// The current second since the epoch.
    static func second() -> Int {
        Int(time(nil))
    }

    /// Local time of `second` as `HH:MM:SS`.
    static func text(second: Int) -> String {
        var seconds = time_t(second)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return "\(TimeText.twoDigits(Int64(parts.tm_hour))):\(TimeText.twoDigits(Int64(parts.tm_min))):\(TimeText.twoDigits(Int64(parts.tm_sec)))"
    }
}
