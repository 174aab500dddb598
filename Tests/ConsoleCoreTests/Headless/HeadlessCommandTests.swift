import ConvEngine
import Testing

@testable import ConsoleCore

@Suite("Headless commands")
struct HeadlessCommandTests {
    private let commands = HeadlessCommand(names: ["ava", "lina", "a b", "1"])

    private func parse(_ line: String) -> HeadlessRequest? { try? commands.parse(line).get() }

    private func error(_ line: String) -> String? {
        if case .failure(let error) = commands.parse(line) { error.message } else { nil }
    }

    @Test func parsesEveryCommandToZeroBasedSessions() {
        #expect(parse("start 2") == .live(LiveCommand(.start, .session(1))))
        #expect(parse("stop ava") == .live(LiveCommand(.stop, .session(0))))
        #expect(parse("restart 3") == .live(LiveCommand(.restart, .session(2))))
        #expect(parse("send 1 hello there  world") == .live(LiveCommand(.send, .session(0), text: "hello there  world")))
        #expect(parse("start-all") == .live(LiveCommand(.start, .all)))
        #expect(parse("stop-all") == .live(LiveCommand(.stop, .all)))
        #expect(parse("snapshot lina") == .snapshot(session: 1))
        #expect(parse("help") == .help)
        #expect(parse("  quit") == .quit)
    }

    @Test func toleratesCaseSpacesTabsAndCarriageReturns() {
        #expect(parse("STOP   2  ") == .live(LiveCommand(.stop, .session(1))))
        #expect(parse("\tSend\t1\t  hi") == .live(LiveCommand(.send, .session(0), text: "hi")))
        #expect(parse("quit\r") == .quit)
        #expect(parse("Stop-All ") == .live(LiveCommand(.stop, .all)))
    }

    @Test func quotedNamesAddressNamesWithSpacesOrDigits() {
        #expect(parse("send \"a b\" hi there") == .live(LiveCommand(.send, .session(2), text: "hi there")))
        #expect(parse("stop \"1\"") == .live(LiveCommand(.stop, .session(3))))
        #expect(parse("stop 1") == .live(LiveCommand(.stop, .session(0))), "a bare number is a session number")
        #expect(error("stop \"a b") == "unterminated quote in a session name")
        #expect(error("stop \"a\"b") == "a quoted session name must end the word")
    }

    @Test func malformedLinesSayWhatIsWrong() {
        #expect(error("stop") == "usage: stop SESSION (SESSION: a number or a name)")
        #expect(error("send 1") == "usage: send SESSION TEXT")
        #expect(error("send 1    ") == "usage: send SESSION TEXT")
        #expect(error("quit now") == "quit takes no arguments")
        #expect(error("stop 1 2") == "stop takes one session")
        #expect(error("stop 9") == "no session 9 (1-4 or a name)")
        #expect(error("stop -9223372036854775808") == "no session -9223372036854775808 (1-4 or a name)")
        #expect(error("stop bob") == "no session \"bob\" (1-4 or a name)")
        #expect(error("dance 1")?.hasPrefix("unknown command \"dance\" (try start, stop,") == true)
    }

    @Test func echoesAreSanitised() throws {
        let message = try #require(error("\u{1B}[2J\u{07}\u{00}x 1"))
        #expect(!message.unicodeScalars.contains { $0.value < 0x20 })
        #expect(message.hasPrefix("unknown command \"\u{241B}[2J\u{2407}\u{2400}x\""))
        let name = try #require(error("stop \"\u{1B}]0;pwn\u{07}\""))
        #expect(!name.unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test func warnsAboutNamesThatCannotBeTypedPlainly() {
        let warnings = HeadlessCommand(names: ["ava", "7", "say \"hi\"", "bell\u{07}"]).addressWarnings()
        #expect(warnings.count == 3)
        #expect(warnings[0].hasPrefix("session 2 is named \"7\""))
        #expect(warnings[1].hasPrefix("session 3's name"))
        #expect(!warnings[2].unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test func repliesAreJSONRecords() {
        let ack = JSONWriter.string(HeadlessReply.ack(line: 3, .live(LiveCommand(.send, .session(1), text: "x")), names: ["ava", "lina"]))
        #expect(ack == #"{"type":"ack","line":3,"command":"send","session":2,"name":"lina"}"#)
        let all = JSONWriter.string(HeadlessReply.ack(line: 4, .live(LiveCommand(.stop, .all)), names: ["ava"]))
        #expect(all == #"{"type":"ack","line":4,"command":"stop-all"}"#)
        let failure = JSONWriter.string(HeadlessReply.commandError(line: 5, "no session \"x\""))
        #expect(failure == #"{"type":"command_error","line":5,"message":"no session \"x\""}"#)
        let help = JSONWriter.string(HeadlessReply.help)
        for verb in HeadlessCommand.verbs { #expect(help.contains(#""usage":"\#(verb.usage)""#)) }
    }
}
