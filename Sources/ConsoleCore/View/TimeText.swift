/// Durations, times and counts written for humans, without Foundation formatters (they are slow for
/// something drawn every frame).
package enum TimeText {
    /// `m:ss`, or `h:mm:ss` from an hour on.
    package static func elapsed(microseconds: Int64) -> String {
        let total = max(0, microseconds / 1_000_000)
        let seconds = total % 60
        let minutes = (total / 60) % 60
        let hours = total / 3600
        if hours > 0 { return "\(hours):\(twoDigits(minutes)):\(twoDigits(seconds))" }
        return "\(minutes):\(twoDigits(seconds))"
    }

    /// `m:ss.t`: ``elapsed(microseconds:)`` with tenths, for a paused replay stepped by events.
    package static func elapsedTenths(microseconds: Int64) -> String {
        elapsed(microseconds: microseconds) + ".\(max(0, microseconds) / 100_000 % 10)"
    }

    /// An offset as seconds with milliseconds: `83.120`.
    package static func seconds(microseconds: Int64) -> String {
        let millis = max(0, microseconds / 1000)
        let fraction = millis % 1000
        let padded = fraction < 10 ? "00\(fraction)" : fraction < 100 ? "0\(fraction)" : "\(fraction)"
        return "\(millis / 1000).\(padded)"
    }

    /// Audio milliseconds as seconds with one decimal: `12.3s`.
    package static func audio(milliseconds: Int) -> String {
        "\(milliseconds / 1000).\((milliseconds % 1000) / 100)s"
    }

    /// A time typed by the operator, in microseconds: `ss`, `m:ss` or `h:mm:ss`, seconds with
    /// an optional fraction (`1:02.5`); nil when it is none of these.
    package static func parse(_ text: String) -> Int64? {
        let parts = text.trimmingSpaces.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), let seconds = Double(parts.last!), seconds >= 0, seconds.isFinite else { return nil }
        if parts.count > 1, seconds >= 60 { return nil }
        var total = seconds
        var scale = 60.0
        for part in parts.dropLast().reversed() {
            guard let value = Int(part), value >= 0 else { return nil }
            total += Double(value) * scale
            scale *= 60
        }
        guard total < 1e9 else { return nil }
        return Int64((total * 1_000_000).rounded())
    }

    package static func twoDigits(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}

extension String {
    /// The text without leading and trailing spaces.
    package var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
