import ArgumentParser
import ConvEngine
import Glibc

/// `convtui export`: session logs as transcripts or as normalized events.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write session logs as Markdown or text transcripts, or as normalized JSON lines.",
        discussion: """
            markdown and text: the transcript as the pane showed it, with timestamps from the \
            session start, roles (`operator` for what the operator typed), and interrupted turns \
            marked, then a table of each turn's latency stages in ms (measured from the events, also \
            for version 1 logs). jsonl: every readable event, one object per line, decoded and \
            re-encoded. Corrupt lines are skipped and named on stderr.

            Several logs (a directory stands for its *.jsonl files, sorted by name) make one \
            combined output, each log's transcript after the one before (markdown: separated by a \
            `---` rule; jsonl: each line starts with the log's `session` number and `name`, as \
            headless lines do), or with --output-dir one file per log. A log that cannot be read \
            is named on stderr and the exit status is 1; a combined --output file is then left as it was.
            """)

    @Argument(help: ArgumentHelp("Session logs (.jsonl), or directories of them.", valueName: "log"))
    var logs: [String]

    @Option(name: .long, help: "markdown, text or jsonl.")
    var format: ExportFormat = .markdown

    @Option(name: .long, help: ArgumentHelp(
        "Write here instead of stdout: created 0600 and renamed into place when complete (a symlink is replaced, not followed); never a log being exported.",
        valueName: "file"))
    var output: String?

    @Option(name: .customLong("output-dir"), help: ArgumentHelp(
        "Write one file per log into this existing directory, named after the log (NAME.md, NAME.txt or NAME.jsonl), each as --output writes.",
        valueName: "dir"))
    var outputDirectory: String?

    func validate() throws {
        guard !logs.isEmpty else { throw ValidationError("name at least one log") }
        guard output == nil || outputDirectory == nil else { throw ValidationError("--output and --output-dir do not go together") }
    }

    func run() throws {
        let paths: [String]
        do {
            paths = try LogArguments.expand(logs)
        } catch {
            throw fail("\(error)")
        }
        let failures = try outputDirectory.map { try exportEach(paths, into: $0) } ?? exportCombined(paths)
        if failures > 0 { throw ExitCode.failure }
    }

    /// Every log into one output, in order; returns how many logs could not be read.
    private func exportCombined(_ paths: [String]) throws(ExitCode) -> Int {
        // The output is opened once the first log's header has been read, so a missing or
        // foreign log alone leaves no file behind.
        var destination: ExportDestination?
        var failures = 0
        var writeError: Int32?
        for path in paths {
            let exported = export(path, naming: paths.count > 1) { () throws(ExitCode) -> Int32 in
                if let destination {
                    // Between two logs' transcripts.
                    let separator: String =
                        switch format {
                        case .markdown: "\n---\n\n"
                        case .text: "\n"
                        case .jsonl: ""
                        }
                    if writeError == nil { writeError = DescriptorSink.writeAll(Array(separator.utf8), to: destination.fd) }
                    return destination.fd
                }
                let opened = try open(output, inputs: paths)
                destination = opened
                return opened.fd
            } write: { bytes, fd in
                if writeError == nil { writeError = DescriptorSink.writeAll(bytes, to: fd) }
            }
            if case .failure(let error) = exported { throw error }
            if case .success(false) = exported { failures += 1 }
        }
        guard let destination else { throw ExitCode.failure }
        if let writeError {
            destination.discard()
            throw fail("cannot write the export: \(String(cString: strerror(writeError)))")
        }
        if failures > 0, output != nil {
            destination.discard()
            throw fail("\(output ?? ""): not written, as a log could not be read")
        }
        do {
            try destination.finish()
        } catch {
            throw fail("\(error)")
        }
        return failures
    }

    /// Each log into its own file in `directory`; returns how many could not be exported.
    private func exportEach(_ paths: [String], into directory: String) throws(ExitCode) -> Int {
        let names = paths.map { path in
            let base = path.split(separator: "/").last.map(String.init) ?? path
            return (base.hasSuffix(".jsonl") ? String(base.dropLast(6)) : base) + "." + format.fileExtension
        }
        if let twice = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw fail("two logs would both be written to \(twice) in \(directory)")
        }
        var failures = 0
        for (path, name) in zip(paths, names) {
            var destination: ExportDestination?
            var writeError: Int32?
            let target = (directory.hasSuffix("/") ? directory : directory + "/") + name
            let exported = export(path, naming: false) { () throws(ExitCode) -> Int32 in
                let opened = try open(target, inputs: paths)
                destination = opened
                return opened.fd
            } write: { bytes, fd in
                if writeError == nil { writeError = DescriptorSink.writeAll(bytes, to: fd) }
            }
            guard case .success(true) = exported, let destination else {
                failures += 1
                continue
            }
            do {
                if let writeError { throw ExportDestination.DestinationError("cannot write \(target): \(String(cString: strerror(writeError)))") }
                try destination.finish()
            } catch {
                destination.discard()
                _ = fail("\(error)")
                failures += 1
            }
        }
        return failures
    }

    /// Reads the log at `path` once (a FIFO or `<(cat log)` works) and exports it: `begin`
    /// gives the descriptor to write to once the header is read, `write` takes the output in
    /// chunks. False when the log cannot be read (said on stderr); line problems are reported
    /// and the readable events exported.
    private func export(
        _ path: String, naming: Bool, begin: () throws(ExitCode) -> Int32, write: ([UInt8], Int32) -> Void
    ) -> Result<Bool, ExitCode> {
        do throws(LogFormatError) {
            var scanner = try LineScanner(path: path)
            let header = try SessionLogReader.readHeader(&scanner)
            let fd: Int32
            switch Result<Int32, ExitCode>(catching: begin) {
            case .success(let opened): fd = opened
            case .failure(let error): return .failure(error)
            }
            let problems = TranscriptExport.export(after: &scanner, header: header, format: format, namingSession: naming) { write($0, fd) }
            for problem in problems {
                HeadlessOutput().diagnostic("convtui: \(TextSanitizer.sanitize(path)): \(problem)")
            }
            return .success(true)
        } catch {
            _ = fail("\(path): \(error)")
            return .success(false)
        }
    }

    /// Opens stdout (`path` nil) or the file at `path`, refusing any of the logs `inputs`.
    private func open(_ path: String?, inputs: [String]) throws(ExitCode) -> ExportDestination {
        let identities = inputs.compactMap { input -> (device: UInt64, inode: UInt64)? in
            var info = stat()
            return stat(input, &info) == 0 ? (UInt64(info.st_dev), UInt64(info.st_ino)) : nil
        }
        do {
            if let path { return try ExportDestination.file(path, inputs: identities) }
            return try ExportDestination.standardOutput(inputs: identities)
        } catch {
            throw fail("\(error)")
        }
    }

    private func fail(_ message: String) -> ExitCode {
        HeadlessOutput().diagnostic("convtui: \(TextSanitizer.sanitize(message))")
        return ExitCode.failure
    }
}

extension ExportFormat: ExpressibleByArgument {
    /// The name ending `--output-dir` gives each file.
    var fileExtension: String {
        switch self {
        case .markdown: "md"
        case .text: "txt"
        case .jsonl: "jsonl"
        }
    }
}
