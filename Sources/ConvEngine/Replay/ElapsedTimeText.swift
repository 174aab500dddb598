/// How elapsed log time is written for people: `02:03.456`, or `1:02:03.456` past an hour.
public enum ElapsedTimeText {
    /// `micros` (negative counts as 0) as minutes, seconds and milliseconds.
    public static func clock(_ micros: Int64) -> String {
        let millis = max(0, micros) / 1000
        let hours = millis / 3_600_000
        let minutes = millis / 60_000 % 60
        let seconds = millis / 1000 % 60
        let rest = "\(pad(minutes, 2)):\(pad(seconds, 2)).\(pad(millis % 1000, 3))"
        return hours > 0 ? "\(hours):\(rest)" : rest
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
