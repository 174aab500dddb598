import Testing
import TestSupport

@testable import ConvEngine

/// Every send ends in its event or an error: none is lost between the two.
@Suite("Send accounting")
struct SendAccountingTests {
    @Test func aSendWhoseRunStopsMidFlightFailsInsteadOfVanishing() async throws {
        let transports = TestTransports(.init(sendDelay: .milliseconds(200)))
        let session = try ConversationSession.testing(transports: transports)
        session.start()
        #expect(await eventually { session.phase.isLive })
        let send = Task { try await session.sendText("on its way") }
        #expect(await eventually { transports.latest?.sendsStarted == 1 })
        session.stop()
        await #expect(throws: SendError.notLive(phase: "ended")) { try await send.value }
        #expect(!session.snapshot.state.recentEvents.contains { $0.type == "user_message" })
    }
}
