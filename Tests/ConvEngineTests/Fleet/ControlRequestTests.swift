import ConvEngine
import Testing

@Suite("Control requests")
struct ControlRequestTests {
    private func parse(_ action: String, _ body: String = "") -> Result<ControlRequest, ControlError> {
        ControlRequest.parse(action: action, body: Array(body.utf8))
    }

    @Test("each action parses from its body")
    func actions() throws {
        #expect(try parse("start").get() == .start)
        #expect(try parse("stop", "{}").get() == .stop)
        #expect(try parse("restart", " \n").get() == .restart)
        #expect(try parse("send", #"{"text":"hi"}"#).get() == .send(text: "hi"))
        #expect(try parse("context", #"{"text":"vip"}"#).get() == .context(text: "vip"))
        #expect(try parse("tool-answer", #"{"call_id":"c1","result":"42"}"#).get() == .toolAnswer(callId: "c1", result: "42", isError: false))
        #expect(
            try parse("tool-answer", #"{"call_id":"c1","result":"no","is_error":true}"#).get()
                == .toolAnswer(callId: "c1", result: "no", isError: true))
    }

    @Test("every request's action and body parse back to the same request (what an attached console sends)")
    func roundTrips() throws {
        let requests: [ControlRequest] = [
            .start, .stop, .restart, .end, .send(text: "hi \"there\""), .context(text: "vip"),
            .toolAnswer(callId: "c1", result: "42", isError: true), .approval(callId: "m1", approved: true),
            .approval(callId: "m2", approved: false), .feedback(like: false), .mark(note: "odd pause"), .mark(note: ""),
        ]
        for request in requests {
            var body: [UInt8] = []
            JSONWriter.write(request.body, into: &body)
            #expect(try ControlRequest.parse(action: request.action, body: body).get() == request)
        }
        #expect(try parse("mark").get() == .mark(note: ""))
        #expect(try parse("feedback", #"{"like":true}"#).get() == .feedback(like: true))
        if case .success = parse("feedback", #"{"like":"yes"}"#) { Issue.record("a non-boolean like was taken") }
        if case .success = parse("approve", "{}") { Issue.record("an approval without a call id was taken") }
    }

    @Test("malformed, unknown and oversized requests are refused with a kind and a reason")
    func refusals() {
        func kind(_ result: Result<ControlRequest, ControlError>) -> ControlError.Kind? {
            if case .failure(let error) = result { return error.kind }
            return nil
        }
        #expect(kind(parse("launch")) == .notFound)
        #expect(kind(parse("send", #"{"text":"#)) == .malformed)
        #expect(kind(parse("send", #"["text"]"#)) == .malformed)
        #expect(kind(parse("send", #"{"text":3}"#)) == .malformed)
        #expect(kind(parse("tool-answer", #"{"call_id":"c","result":"r","is_error":"yes"}"#)) == .malformed)
        #expect(kind(parse("send", String(repeating: " ", count: ControlRequest.maximumBodyBytes + 1))) == .tooLarge)
    }

    @Test("a refused request leaves the session as it was")
    func refusedChangesNothing() async throws {
        let board = try SessionBoard.simulated(count: 1, options: SimOptions(seed: 1), recording: nil)
        let session = board.sessions[0]
        #expect(await ControlRequest.stop.perform(on: session)?.kind == .conflict)
        #expect(await ControlRequest.send(text: "hi").perform(on: session)?.kind == .conflict)
        #expect(await ControlRequest.toolAnswer(callId: "c", result: "r", isError: false).perform(on: session)?.kind == .conflict)
        #expect(await ControlRequest.approval(callId: "m", approved: true).perform(on: session)?.kind == .conflict)
        #expect(await ControlRequest.end.perform(on: session)?.kind == .conflict)
        #expect(await ControlRequest.mark(note: "x").perform(on: session)?.kind == .conflict)
        #expect(session.snapshot.state.run == 0)
        #expect(session.snapshot.state.phase == .idle)
        await board.shutdown()
    }
}
