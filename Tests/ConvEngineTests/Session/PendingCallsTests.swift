import ConvEngine
import Testing

/// The calls an agent waits on, as the reducer keeps them: client tool calls until their
/// result, MCP approvals until answered or moved on by the server, none across conversations.
@Suite struct PendingCallsTests {
    private func fold(_ kinds: [SessionEvent.Kind]) -> SessionState {
        var state = SessionState(backend: "elevenlabs")
        for (i, kind) in ([.runStarted(backend: "elevenlabs"), .connected(conversationId: "c1")] + kinds).enumerated() {
            state.apply(SessionEvent(offset: Int64(i), run: 1, kind: kind))
        }
        return state
    }

    @Test func aToolCallWaitsUntilItsResult() {
        let waiting = fold([.toolCall(callId: "t1", name: "lookup", arguments: "{}"), .toolCall(callId: "t2", name: "book", arguments: "{}")])
        #expect(waiting.pendingToolCalls.map(\.callId) == ["t1", "t2"])
        let answered = fold([
            .toolCall(callId: "t1", name: "lookup", arguments: "{}"), .toolCall(callId: "t2", name: "book", arguments: "{}"),
            .toolResult(callId: "t1", result: "ok", isError: false),
        ])
        #expect(answered.pendingToolCalls.map(\.callId) == ["t2"])
    }

    @Test func anApprovalWaitsUntilAnsweredOrResolved() {
        let asked = SessionEvent.Kind.mcpToolCall(callId: "m1", name: "search", state: "awaiting_approval", detail: #"{"q":1}"#)
        #expect(fold([asked]).pendingApprovals == [PendingCall(callId: "m1", name: "search", arguments: #"{"q":1}"#)])
        #expect(fold([asked, .toolApproval(callId: "m1", approved: false)]).pendingApprovals.isEmpty)
        // The server gave up waiting (its approval timeout) and reported a failure.
        #expect(fold([asked, .mcpToolCall(callId: "m1", name: "search", state: "failure", detail: "timed out")]).pendingApprovals.isEmpty)
    }

    @Test func nothingWaitsAcrossConversationsOrRuns() {
        let calls: [SessionEvent.Kind] = [
            .toolCall(callId: "t1", name: "lookup", arguments: "{}"),
            .mcpToolCall(callId: "m1", name: "search", state: "awaiting_approval", detail: "{}"),
        ]
        let reconnected = fold(calls + [.connected(conversationId: "c2")])
        #expect(reconnected.pendingToolCalls.isEmpty && reconnected.pendingApprovals.isEmpty)
        let ended = fold(calls + [.failed(error: "closed")])
        #expect(ended.pendingToolCalls.isEmpty && ended.pendingApprovals.isEmpty)
    }
}
