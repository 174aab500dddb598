/// The verdict of `convtui log check` on one file: what is wrong with it, or a one-line summary.
public struct SessionLogCheck: Sendable {
    public let path: String
    /// True when the file is a readable log without a single bad line.
    public let isOK: Bool
    /// The report, one line each, every line naming the file.
    public let lines: [String]

    /// Reads and fully validates the log at `path` (every line is decoded), in one streaming pass.
    public static func run(path: String) -> SessionLogCheck {
        SessionLogCheck(path: path, outcome: Result { () throws(LogFormatError) -> ReplayIndex in try ReplayIndex.build(path: path, validation: .full) })
    }

    init(path: String, outcome: Result<ReplayIndex, LogFormatError>) {
        self.path = path
        let name = TextSanitizer.sanitize(path)
        switch outcome {
        case .failure(let error):
            isOK = false
            lines = ["\(name): \(error)"]
        case .success(let index):
            let summary =
                "\(index.eventCount) events, \(index.runCount) run\(index.runCount == 1 ? "" : "s"), \(ElapsedTimeText.clock(index.duration))"
            isOK = index.problemCount == 0
            var lines = index.problems.map { "\(name): \($0)" }
            let unlisted = index.problemCount - index.problems.count
            if unlisted > 0 { lines.append("\(name): … and \(unlisted) more problems") }
            lines.append(
                isOK
                    ? "\(name): ok: \(summary)"
                    : "\(name): \(index.problemCount) problem\(index.problemCount == 1 ? "" : "s"); readable: \(summary)")
            self.lines = lines
        }
    }
}
