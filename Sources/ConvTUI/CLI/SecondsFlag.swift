import ArgumentParser

/// A flag given in seconds (`--duration 90`, `--drop-after 2.5`): positive, finite and at most
/// ``maximum``, checked before it becomes a `Duration` (`inf` or `1e308` would trap there).
enum SecondsFlag {
    /// 30 days: longer than any run anyone waits for, far from where milliseconds overflow.
    static let maximum = 2_592_000.0

    /// Throws a range error naming `flag` unless `seconds` is absent or in range.
    static func check(_ seconds: Double?, flag: String) throws {
        guard let seconds else { return }
        guard seconds > 0, seconds <= maximum else {
            throw ValidationError("\(flag) must be a number of seconds above 0 and at most \(Int(maximum)) (30 days)")
        }
    }

    /// The duration of a flag that passed ``check(_:flag:)``.
    static func duration(_ seconds: Double?) -> Duration? {
        seconds.map { .milliseconds(Int64(($0 * 1000).rounded())) }
    }
}
