@testable import ConvEngine
import Testing

/// Log and headless lines are a published format: writing them faster must not change a byte.
@Suite struct LogLineFormatTests {
    /// Seconds as the writer spelled them with string interpolation.
    private static func referenceSeconds(_ micros: Int64) -> String {
        let sign = micros < 0 ? "-" : ""
        let magnitude = micros.magnitude
        let fraction = String(magnitude % 1_000_000)
        return "\(sign)\(magnitude / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    @Test func secondsAreSpelledAsBefore() {
        var values: [Int64] = [0, 1, 9, 10, 999_999, 1_000_000, 1_000_001, 12_000_345, -1, -1_000_000, -12_000_345, Int64.max, Int64.min]
        for _ in 0..<1000 { values.append(Int64.random(in: 0...100_000_000_000)) }
        for value in values {
            var out: [UInt8] = []
            SessionEvent.writeSeconds(value, into: &out)
            #expect(String(decoding: out, as: UTF8.self) == Self.referenceSeconds(value))
        }
    }

    @Test func linesAreByteForByteTheDocumentedForm() {
        let cases: [(SessionEvent, String)] = [
            (
                SessionEvent(offset: 1_000_250, run: 2, kind: .agentTextDone(responseId: "el_7", text: "say \"hi\"\n")),
                #"{"t":1.000250,"run":2,"type":"agent_text_done","response_id":"el_7","text":"say \"hi\"\n"}"#
            ),
            (
                SessionEvent(offset: 12, run: 13, kind: .ping(eventId: 4, latencyMs: nil)),
                #"{"t":0.000012,"run":13,"type":"ping","event_id":4,"latency_ms":null}"#
            ),
            (
                SessionEvent(offset: 3_600_000_000, run: 1, kind: .ping(eventId: -5, latencyMs: 120)),
                #"{"t":3600.000000,"run":1,"type":"ping","event_id":-5,"latency_ms":120}"#
            ),
            (SessionEvent(offset: 0, run: 1, kind: .vadScore(0.92)), #"{"t":0.000000,"run":1,"type":"vad_score","score":0.92}"#),
        ]
        for (event, expected) in cases {
            var out: [UInt8] = []
            event.writeLogLine(into: &out)
            #expect(String(decoding: out, as: UTF8.self) == expected)
        }
        var headless: [UInt8] = []
        cases[0].0.writeLogLine(into: &headless, prefixedBy: [("session", .int(3)), ("name", .string("ava \u{1B}"))])
        #expect(
            String(decoding: headless, as: UTF8.self)
                == #"{"session":3,"name":"ava \u001b","t":1.000250,"run":2,"type":"agent_text_done","response_id":"el_7","text":"say \"hi\"\n"}"#)
    }
}
