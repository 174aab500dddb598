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
            session start, roles, and interrupted turns marked. jsonl: every readable event, one \
            object per line, decoded and re-encoded. Corrupt lines are skipped and named on stderr.
            """)

    @Argument(help: ArgumentHelp("The session log (.jsonl).", valueName: "log"))
    var log: String

    @Option(name: .long, help: "markdown, text or jsonl.")
    var format: ExportFormat = .markdown

    @Option(name: .long, help: ArgumentHelp("Write here (created 0600, replaced if it exists) instead of stdout.", valueName: "file"))
    var output: String?

    func run() throws {
        // Refuse an unusable log before creating (and truncating) the output file.
        do {
            var scanner = try LineScanner(path: log)
            _ = try SessionLogReader.readHeader(&scanner)
        } catch {
            throw fail("\(log): \(error)")
        }
        let fd: Int32
        if let output {
            fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw fail("cannot create \(output): \(String(cString: strerror(errno)))") }
        } else {
            fd = 1
        }
        defer { if fd != 1 { close(fd) } }
        var writeError: Int32?
        let problems: [LogProblem]
        do {
            problems = try TranscriptExport.export(path: log, format: format) { bytes in
                if writeError == nil { writeError = DescriptorWriter.writeAll(bytes, to: fd) }
            }
        } catch {
            throw fail("\(log): \(error)")
        }
        for problem in problems {
            HeadlessOutput().diagnostic("convtui: \(TextSanitizer.sanitize(log)): \(problem)")
        }
        if let writeError { throw fail("cannot write the export: \(String(cString: strerror(writeError)))") }
    }

    private func fail(_ message: String) -> ExitCode {
        HeadlessOutput().diagnostic("convtui: \(TextSanitizer.sanitize(message))")
        return ExitCode.failure
    }
}

extension ExportFormat: ExpressibleByArgument {}
