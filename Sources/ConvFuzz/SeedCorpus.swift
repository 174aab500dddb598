import Foundation

/// The real inputs mutations start from: demo logs, example configs, protocol test vectors.
enum SeedCorpus {
    /// Every file under `paths` (files or directories, not recursive) whose extension is in
    /// `extensions`, in name order so that a run is reproducible.
    static func load(_ paths: [String], extensions: Set<String>) throws -> [[UInt8]] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
            }
            if isDirectory.boolValue {
                files += try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { path + "/" + $0 }
            } else {
                files.append(path)
            }
        }
        return files.filter { extensions.contains(URL(fileURLWithPath: $0).pathExtension) }
            .compactMap { FileManager.default.contents(atPath: $0).map { Array($0) } }
    }
}
