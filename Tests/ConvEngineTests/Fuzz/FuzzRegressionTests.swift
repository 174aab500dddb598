import ConvEngine
import Foundation
import Testing

/// Inputs `convtui-fuzz` found crashing a parser (scripts/fuzz.sh), kept so they stay fixed.
@Suite struct FuzzRegressionTests {
    private func configError(_ text: String) -> ConfigError? {
        do {
            _ = try ConsoleConfig.parse(text, path: "fuzz.toml", environment: [:])
            return nil
        } catch {
            return error
        }
    }

    /// toml++ asserted (aborting a debug build) on a table header without a first key; the
    /// minimized crasher was ten `[[a]]` lines and a trailing `[[[`.
    @Test(arguments: ["[[[", "[[a]]\n[[[", "[=", "[\n", "[.a]", "[ #", "[[ [", "a = 1\n\n  [=x]"])
    func keylessTableHeaderIsAnErrorNotACrash(text: String) {
        let error = configError(text)
        #expect(error?.message.contains("a table header needs a key") == true, "\(String(describing: error))")
    }

    /// The guard must not reject valid TOML where `[` starts a line inside a value.
    @Test func bracketsInsideValuesAreNotHeaders() throws {
        let text = """
            a = [
              [
                1 ],
              "[=",
            ]
            b = \"\"\"
            [=
            \"\"\"
            c = '[' # [=
            [[session]]
            name = "x"
            """
        #expect(configError(text)?.message.contains("a table header needs a key") != true)
    }

    /// toml++ asserted on a `}` where an array expects a value; minimized from a mutated
    /// example config to `t=[{y=""},{y=0,t=""},}`.
    @Test(arguments: [#"t=[{y=""},{y=0,t=""},}"#, "a=[}", "a=[1,}", "a=[\n}", "a=[#c\n}"])
    func closingBraceInArrayIsAnErrorNotACrash(text: String) {
        let error = configError(text)
        #expect(error?.message.contains("an array needs a value") == true, "\(String(describing: error))")
    }

    /// A header whose `started_at_us` does not fit in 64 bits trapped in `Int64(_:)`; the log
    /// must be refused as unusable instead.
    @Test(arguments: ["17952947210219223372036854775807633", "1e300", "-9.3e18", "9.3e18"])
    func outOfRangeStartIsRefused(started: String) throws {
        let path = NSTemporaryDirectory() + "convtui-fuzz-regression-\(UUID().uuidString).jsonl"
        defer { unlink(path) }
        try """
            {"format":"convtui-session-log","version":1,"session":5,"name":"echo","backend":"sim","started_at":"2026-11-21T20:58:41.021Z","started_at_us":\(started),"transcript_capacity":500,"event_capacity":200}
            {"t":0.004988,"run":1,"type":"run_started","backend":"sim"}

            """.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: LogFormatError.self) { try SessionLogReader.read(path: path) }
        #expect(throws: LogFormatError.self) { try ReplayIndex.build(path: path) }
    }
}
