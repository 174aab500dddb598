import ConvEngine
import Testing

@testable import ConvTUI

@Suite struct PaneViewTests {
    @Test func aTranscriptLineIsOneStyleIndentAndLabelIncluded() {
        let text = "one two three four five six seven eight nine ten"
        let state = ConsoleFixtures.snapshot(number: 1, [.agentTextDelta(responseId: "r", text: text), .agentTextDone(responseId: "r", text: nil)]).state
        let entry = state.transcript.last { $0.role == .agent }!
        let lines = TranscriptLines.layout(entry, width: 20)
        #expect(lines.count > 2)
        for line in lines {
            #expect(Set(line.map(\.style)) == [CellStyle(.agent)])
        }
    }
}
