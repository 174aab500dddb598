import Testing
@testable import ConvEngine

/// Checks that a frame was taken as malformed and nothing else: one `malformed` event whose
/// detail starts with `reason`, and no reply to the server.
func expectOnlyMalformed(_ step: WireStep, reason: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(step.replies.isEmpty, "nothing is answered", sourceLocation: sourceLocation)
    guard step.events.count == 1, case .malformed(let detail) = step.events[0] else {
        Issue.record("expected one malformed event, got \(step.events)", sourceLocation: sourceLocation)
        return
    }
    #expect(detail.hasPrefix(reason + ": "), "\(detail)", sourceLocation: sourceLocation)
}
