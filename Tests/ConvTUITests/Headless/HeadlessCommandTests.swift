import Testing
@testable import ConvTUI

@Suite("Headless commands")
struct HeadlessCommandTests {
    @Test func parsesEveryCommand() throws {
        #expect(try HeadlessCommand.parse("start 2").get() == .start("2"))
        #expect(try HeadlessCommand.parse("stop ava").get() == .stop("ava"))
        #expect(try HeadlessCommand.parse("restart 3").get() == .restart("3"))
        #expect(try HeadlessCommand.parse("send 1 hello there  world").get() == .send("1", text: "hello there  world"))
        #expect(try HeadlessCommand.parse("start-all").get() == .startAll)
        #expect(try HeadlessCommand.parse("stop-all").get() == .stopAll)
        #expect(try HeadlessCommand.parse("snapshot lina").get() == .snapshot("lina"))
        #expect(try HeadlessCommand.parse("  quit").get() == .quit)
    }

    @Test func malformedLinesSayWhatIsWrong() {
        #expect(HeadlessCommand.parse("stop") == .failure(HeadlessCommandError("stop: which session? (a number or a name)")))
        #expect(HeadlessCommand.parse("send 1") == .failure(HeadlessCommandError("usage: send SESSION TEXT")))
        #expect(HeadlessCommand.parse("quit now") == .failure(HeadlessCommandError("quit takes no arguments")))
        #expect(HeadlessCommand.parse("stop 1 2") == .failure(HeadlessCommandError("stop takes one session")))
        guard case .failure(let error) = HeadlessCommand.parse("dance 1") else {
            Issue.record("unknown verb accepted")
            return
        }
        #expect(error.message.hasPrefix("unknown command \"dance\""))
    }
}
