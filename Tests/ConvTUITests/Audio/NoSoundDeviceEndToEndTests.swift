import Foundation
import Testing
import TestSupport

/// The console without any sound server (SSH, CI, containers), on a real terminal.
@Suite struct NoSoundDeviceEndToEndTests {
    /// `L` and `T` say why in the status bar; the console goes on as before, and nothing
    /// libpulse might say reaches the terminal.
    @Test func listeningWithoutASoundServerOnlySaysWhy() async throws {
        let directory = makeTemporaryDirectory("convtui-nosound")
        let config = directory + "/sessions.toml"
        try "[[session]]\nname = \"ava\"\nbackend = \"sim\"\nautostart = true\n".write(toFile: config, atomically: true, encoding: .utf8)
        let console = try PtyConsole(
            ["run", config, "--no-record"], width: 100, height: 24,
            environment: ["PULSE_SERVER": "unix:\(directory)/no-server", "HOME": directory, "XDG_RUNTIME_DIR": directory])
        #expect(await console.waitFor { $0.contains("ava") })
        console.type("L")
        #expect(await console.waitFor { $0.contains("L: no sound server (") })
        // T too: the microphone cannot open, and the status bar says why. Curses writes only
        // the cells that changed from L's message ("T", then "or microphone (…"), so the raw
        // output holds the new part whole, not the whole line.
        console.type("T")
        #expect(await console.waitFor { $0.contains("or microphone (") })
        // Still the live console: a focused-session key works as before.
        console.type("x")
        #expect(await console.waitFor { $0.contains("stop → pane 1") })
        // The notice comes with the key, the stop a moment later on the session's lane: a q
        // read before the pane has ended would be asked about (and wait for) a y.
        #expect(await console.waitFor { $0.contains("ended: stopped by operator") })
        // No session is active any more: q quits without asking (a "y" now would write to a
        // closed terminal).
        console.type("q")
        #expect(await console.waitForExit() == 0)
        let screen = String(decoding: console.output, as: UTF8.self)
        #expect(!screen.contains("listening to"), "listening did not start")
        #expect(!screen.contains("talking into"), "talking did not start")
        #expect(!screen.lowercased().contains("pulse"), "no library message reached the terminal")
        #expect(screen.firstMatch(of: /[EW]: \[/) == nil, "no libpulse log line reached the terminal")
    }
}
