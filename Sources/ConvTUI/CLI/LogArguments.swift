import Glibc

/// The logs a command was given: each argument that is a directory stands for the `*.jsonl`
/// files in it (not its subdirectories), sorted by name; any other argument is one log (a
/// file, a FIFO, `<(…)`), kept in the order given.
enum LogArguments {
    /// The logs `arguments` name; throws naming a directory that could not be read or holds no log.
    static func expand(_ arguments: [String]) throws(ExpansionError) -> [String] {
        var logs: [String] = []
        for argument in arguments {
            var info = stat()
            guard stat(argument, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                logs.append(argument)
                continue
            }
            let names = try jsonlFiles(in: argument)
            guard !names.isEmpty else { throw ExpansionError("\(argument): no .jsonl logs in this directory") }
            let directory = argument.hasSuffix("/") ? argument : argument + "/"
            logs += names.map { directory + $0 }
        }
        return logs
    }

    /// The names of the regular files ending in `.jsonl` in `directory`, in byte order (the
    /// recorder's `STAMP-NN-NAME` names sort by time, then session).
    private static func jsonlFiles(in directory: String) throws(ExpansionError) -> [String] {
        guard let stream = opendir(directory) else {
            throw ExpansionError("\(directory): cannot read the directory: \(String(cString: strerror(errno)))")
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasSuffix(".jsonl"), !name.hasPrefix(".") else { continue }
            var info = stat()
            guard stat(directory + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            names.append(name)
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Why the arguments do not name logs.
    struct ExpansionError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
