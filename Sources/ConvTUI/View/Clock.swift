/// Durations and counts written for humans, without Foundation formatters (they are slow for
/// something drawn every frame).
enum Clock {
    /// `m:ss`, or `h:mm:ss` from an hour on.
    static func elapsed(microseconds: Int64) -> String {
        let total = max(0, microseconds / 1_000_000)
        let seconds = total % 60
        let minutes = (total / 60) % 60
        let hours = total / 3600
        if hours > 0 { return "\(hours):\(twoDigits(minutes)):\(twoDigits(seconds))" }
        return "\(minutes):\(twoDigits(seconds))"
    }

    /// An offset as seconds with milliseconds: `83.120`.
    static func seconds(microseconds: Int64) -> String {
        let millis = max(0, microseconds / 1000)
        let fraction = millis % 1000
        let padded = fraction < 10 ? "00\(fraction)" : fraction < 100 ? "0\(fraction)" : "\(fraction)"
        return "\(millis / 1000).\(padded)"
    }

    /// Audio milliseconds as seconds with one decimal: `12.3s`.
    static func audio(milliseconds: Int) -> String {
        "\(milliseconds / 1000).\((milliseconds % 1000) / 100)s"
    }

    static func twoDigits(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
