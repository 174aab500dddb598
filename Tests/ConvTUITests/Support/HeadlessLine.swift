/// One line of `--headless` output split into its session number and the event exactly as
/// that session's log writes it: the headless line is the log line with `session` and `name`
/// put in front, so a printed event can be looked up in the log byte for byte.
struct HeadlessLine {
    let session: Int
    /// `{"t":…}`, the log line.
    let event: Substring

    /// `{"session":N,"name":"…","t":…}` → (N, `{"t":…}`); nil for anything else.
    init?(_ line: Substring) {
        guard line.hasPrefix(#"{"session":"#), let comma = line.firstIndex(of: ","),
            let number = Int(line[line.index(line.startIndex, offsetBy: 11)..<comma]),
            let t = line.range(of: #","t":"#)
        else { return nil }
        session = number
        event = "{" + line[line.index(after: t.lowerBound)...]
    }
}
