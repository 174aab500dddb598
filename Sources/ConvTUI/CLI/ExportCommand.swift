import ArgumentParser
import ConvEngine
import Glibc

/// `convtui export`: a session log as a transcript or as normalized events.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a session log as a Markdown or text transcript, or as normalized JSON lines.",
        discussion: """
            markdown and text: the transcript as the pane showed it, with timestamps from the \
            session start, roles, and interrupted turns marked, then a table of each turn's latency \
            stages in ms (measured from the events, also for version 1 logs). jsonl: every readable event, one \
            object per line, decoded and re-encoded. Corrupt lines are skipped and named on stderr.
            """)

    @Argument(help: ArgumentHelp("The session log (.jsonl).", valueName: "log"))
    var log: String

    @Option(name: .long, help: "markdown, text or jsonl.")
    var format: ExportFormat = .markdown

    @Option(name: .long, help: ArgumentHelp(
        "Write here instead of stdout: created 0600 and renamed into place when complete (a symlink is replaced, not followed); never the log itself.",
        valueName: "file"))
    var output: String?

    func run() throws {
        // The log is read once (a FIFO or `<(cat log)` works); its header is checked before the
        // output is touched.
        var scanner = try opened(LineScanner(path: log))
        let header = try opened(SessionLogReader.readHeader(&scanner))
        let destination: ExportDestination
        let identity = scanner.identity
        do {
            if let output {
                destination = try ExportDestination.file(output, input: identity)
            } else {
                destination = try ExportDestination.standardOutput(input: identity)
            }
        } catch {
            throw fail("\(error)")
        }
        var writeError: Int32?
        let problems = TranscriptExport.export(after: &scanner, header: header, format: format) { bytes in
            if writeError == nil { writeError = DescriptorWriter.writeAll(bytes, to: destination.fd) }
        }
        for problem in problems {
            HeadlessOutput().diagnostic("convtui: \(TextSanitizer.sanitize(log)): \(problem)")
        }
        if let writeError {
            destination.discard()
            throw fail("cannot write the export: \(String(cString: strerror(writeError)))")
        }
        do {
            try destination.finish()
        } catch {
            throw fail("\(error)")
        }
    }

    /// The result of opening the log, or the failure naming it.
    private func opened<T: ~Copyable>(_ result: @autoclosure () throws(LogFormatError) -> T) throws(ExitCode) -> T {
        do {
            return try result()
        } catch {
            throw fail("\(log): \(error)")
        }
    }

    private func fail(_ message: String) -> ExitCode {
        HeadlessOutput().diagnostic("convtui: \(TextSanitizer.sanitize(message))")
        return ExitCode.failure
    }
}

extension ExportFormat: ExpressibleByArgument {}
