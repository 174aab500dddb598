import ConvEngine

/// The coloured word in a pane header (and status bar) that says where a session is.
package enum PhaseBadge {
    package static func text(_ phase: SessionPhase) -> String {
        switch phase {
        case .idle: "IDLE"
        case .connecting: "CONNECTING"
        case .live(let activity):
            switch activity {
            case .listening: "LIVE listening"
            case .userSpeaking: "LIVE user speaking"
            case .agentThinking: "LIVE thinking"
            case .agentSpeaking: "LIVE agent speaking"
            }
        case .stopping: "STOPPING"
        case .ended: "ENDED"
        case .failed: "FAILED"
        }
    }

    /// The width of the longest live badge.
    package static let liveWidth = SessionPhase.Activity.allCases.map { CellWidth.of(text(.live($0))) }.max() ?? 0

    package static func tint(_ phase: SessionPhase) -> CellStyle.Tint {
        switch phase {
        case .idle: .idle
        case .connecting: .connecting
        case .live: .live
        case .stopping: .stopping
        case .ended: .ended
        case .failed: .failed
        }
    }

    /// The phase's place in ``order``: counting and sorting by it hashes no strings, which
    /// matters over ten thousand sessions.
    package static func rank(_ phase: SessionPhase) -> Int {
        switch phase {
        case .live: 0
        case .connecting: 1
        case .stopping: 2
        case .idle: 3
        case .ended: 4
        case .failed: 5
        }
    }

    /// The phases in status-bar order, by the names ``SessionPhase/name`` gives.
    package static let order: [(name: String, tint: CellStyle.Tint)] = [
        ("live", .live), ("connecting", .connecting), ("stopping", .stopping),
        ("idle", .idle), ("ended", .ended), ("failed", .failed),
    ]
}
