import Foundation
@testable import ConvEngine
import TestSupport

/// Logs written for a test in a fresh temporary directory.
struct TestLogs {
    let directory: String

    init() {
        directory = makeTemporaryDirectory("convtui-replay-test")
    }

    /// A log written by the real writer.
    func log(_ name: String, startedAt: Int64 = 1_795_289_400_000_000, events: [SessionEvent]) -> String {
        let path = "\(directory)/\(name).jsonl"
        let header = SessionLogHeader(sessionNumber: 1, sessionName: name, backend: "sim", startedAtMicros: startedAt)
        let writer = try! SessionLogWriter(path: path, header: header)
        for event in events { try! writer.append(event) }
        writer.close()
        return path
    }

    /// A file with exactly these bytes.
    func file(_ name: String, _ text: String) -> String {
        let path = "\(directory)/\(name)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    /// The header line the writer puts first.
    static func headerLine(version: Int = 1) -> String {
        JSONWriter.string(SessionLogHeader(sessionNumber: 1, sessionName: "x", backend: "sim", startedAtMicros: 0, version: version).json)
    }

    /// A log line for `event`.
    static func line(_ event: SessionEvent) -> String {
        var bytes: [UInt8] = []
        event.writeLogLine(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A varied, deterministic conversation of about `count` events over several runs, with
    /// interruptions, errors, corrections and streamed replies.
    static func conversation(count: Int, seed: UInt64 = 7) -> [SessionEvent] {
        var random = SimRandom(seed: seed)
        var events: [SessionEvent] = []
        var t: Int64 = 0
        var run = 0
        var response = 0
        func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(random.next() % UInt64(range.count)) }
        func add(_ kind: SessionEvent.Kind) {
            t += Int64(int(0...400_000))
            events.append(SessionEvent(offset: t, run: run, kind: kind))
        }
        while events.count < count {
            if run == 0 || int(0...40) == 0 {
                if run > 0 { add(int(0...1) == 0 ? .ended(reason: "stopped") : .failed(error: "lost")) }
                run += 1
                add(.runStarted(backend: "sim"))
                add(.connected(conversationId: "conv\(run)"))
            }
            switch int(0...9) {
            case 0: add(.userTranscript(text: "hello \(events.count)", isFinal: int(0...1) == 0))
            case 1: add(.userMessage(text: "typed \(events.count)"))
            case 2, 3:
                response += 1
                for piece in 0..<int(1...4) { add(.agentTextDelta(responseId: "r\(response)", text: "part\(piece) ")) }
                if int(0...2) == 0 { add(.agentTextDone(responseId: "r\(response)", text: nil)) }
            case 4: add(.interruption(eventId: int(0...5)))
            case 5: add(.agentAudio(eventId: int(0...8), bytes: 3200, durationMs: 100))
            case 6: add(.serverError(code: "e", message: "boom \(events.count)"))
            case 7: add(.agentCorrection(original: "part0", corrected: "PART"))
            case 8: add(.ping(eventId: nil, latencyMs: int(5...90)))
            default: add(.vadScore(Double(int(0...100)) / 100))
            }
        }
        return events
    }

    /// The state after each of the first `counts` events, from one fold from scratch.
    static func folds(_ header: SessionLogHeader, _ events: [SessionEvent], afterEventCounts counts: [Int]) -> [Int: SessionState] {
        var states: [Int: SessionState] = [:]
        var state = header.emptyState()
        var applied = 0
        for count in counts.sorted() {
            while applied < count {
                state.apply(events[applied])
                applied += 1
            }
            states[count] = state
        }
        return states
    }

    /// The state after every event with offset ≤ each of `times` (µs), from one fold from scratch.
    static func folds(_ log: SessionLog, atTimes times: [Int64]) -> [Int64: SessionState] {
        let counts = times.map { time in log.events.prefix { $0.offset <= time }.count }
        let states = folds(log.header, log.events, afterEventCounts: counts)
        return Dictionary(zip(times, counts.map { states[$0]! }), uniquingKeysWith: { first, _ in first })
    }
}
