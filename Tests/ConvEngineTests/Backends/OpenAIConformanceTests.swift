import Foundation
import Testing
@testable import ConvEngine

/// Every server event the official `openai` package declares (fixtures written by
/// scripts/conformance-openai.py, GA and beta) is decoded, or is on the codec's explicit
/// ignore list: a new vendor event cannot slip by unnoticed.
@Suite struct OpenAIConformanceTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/openai-events")

    /// Types whose minimal vendor shape lacks a field convtui needs, which the real service
    /// always sends; such a frame is recorded as malformed rather than shown half-empty.
    static let needsMoreThanTheVendorType: [String: String] = [
        // No conversation is shown without its id (the pane and the log key on it).
        "session.created": "session.id",
    ]

    static func fixtureFiles() throws -> [(dialect: String, type: String, text: String)] {
        var files: [(String, String, String)] = []
        for dialect in ["ga", "beta"] {
            let directory = fixtures.appendingPathComponent(dialect)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() where name.hasSuffix(".json") {
                let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
                files.append((dialect, String(name.dropLast(5)), text))
            }
        }
        return files
    }

    @Test func everyVendorEventIsDecodedOrIgnoredOnPurpose() throws {
        let files = try Self.fixtureFiles()
        #expect(files.count >= 60, "run scripts/conformance-openai.py")
        for (dialect, type, text) in files {
            do {
                let message = try OpenAIRealtimeCodec.decode(text)
                if case .unknown = message { Issue.record("\(dialect) \(type) is neither decoded nor on the ignore list") }
            } catch {
                #expect(Self.needsMoreThanTheVendorType[type] != nil, "\(dialect) \(type): \(error.message)")
            }
        }
    }

    /// The ignore list names only events the vendor declares: no stale entries.
    @Test func theIgnoreListHasNoStrangers() throws {
        let declared = Set(try Self.fixtureFiles().map(\.type))
        #expect(OpenAIRealtimeCodec.ignoredTypes.subtracting(declared).isEmpty)
    }
}
