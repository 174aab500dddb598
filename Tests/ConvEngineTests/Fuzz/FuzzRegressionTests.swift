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
}
