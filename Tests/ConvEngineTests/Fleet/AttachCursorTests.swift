import ConvEngine
import Testing

@Suite("AttachCursor: resuming an agent's watch stream")
struct AttachCursorTests {
    private func take(_ cursor: inout AttachCursor, _ text: String) -> AttachCursor.Step {
        cursor.take(Array(text.utf8))
    }

    private func printed(_ step: AttachCursor.Step) -> String? {
        guard case .print(let bytes) = step else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("events get the host; a repeated sequence number is skipped; the next connection resumes after the last")
    func resumes() {
        var cursor = AttachCursor(host: "a:7070")
        #expect(cursor.watchQuery == "")
        let hello = printed(take(&cursor, #"{"type":"watch","agent":"x1","first":5,"next":5,"missed":0}"#))
        #expect(hello == #"{"type":"host_connected","host":"a:7070","agent":"x1","from":5,"missed":0}"#)
        #expect(printed(take(&cursor, #"{"seq":5,"session":1,"type":"ping"}"#)) == #"{"host":"a:7070","seq":5,"session":1,"type":"ping"}"#)
        #expect(printed(take(&cursor, #"{"seq":6,"session":1,"type":"ping"}"#)) != nil)
        #expect(cursor.watchQuery == "?from=7")
        #expect(take(&cursor, #"{"type":"watch","agent":"x1","first":6,"next":9,"missed":0}"#) != .skip)
        #expect(take(&cursor, #"{"seq":6,"session":1,"type":"ping"}"#) == .skip)
        #expect(printed(take(&cursor, #"{"seq":7,"session":1,"type":"ping"}"#)) != nil)
    }

    @Test("a session's log header is printed once per agent instance")
    func headersOnce() {
        var cursor = AttachCursor(host: "a:1")
        let header = #"{"format":"convtui-session-log","version":2,"session":1}"#
        #expect(printed(take(&cursor, header)) == #"{"host":"a:1","format":"convtui-session-log","version":2,"session":1}"#)
        #expect(take(&cursor, header) == .skip)
    }

    @Test("a new agent instance starts over from 1 and says so")
    func newInstance() {
        var cursor = AttachCursor(host: "a:1")
        _ = take(&cursor, #"{"type":"watch","agent":"old","first":1,"next":1,"missed":0}"#)
        _ = take(&cursor, #"{"seq":40,"session":1,"type":"ping"}"#)
        let step = take(&cursor, #"{"type":"watch","agent":"new","first":41,"next":41,"missed":0}"#)
        #expect(step == .startOver(Array(#"{"type":"agent_restarted","host":"a:1","agent":"new"}"#.utf8)))
        #expect(cursor.watchQuery == "?from=1&logs=0")
        #expect(printed(take(&cursor, #"{"seq":1,"session":1,"type":"ping"}"#)) != nil)
    }

    @Test("a lost agent's line carries the host and a sanitized reason")
    func unreachable() {
        let line = String(decoding: AttachCursor(host: "h:2").unreachable(reason: "refused\u{1B}[2J"), as: UTF8.self)
        #expect(line.hasPrefix(#"{"type":"host_unreachable","host":"h:2","reason":"refused"#))
        #expect(!line.contains("\u{1B}"))
    }
}
