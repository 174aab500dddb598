import ConvEngine
import Foundation

/// Precomputed agent audio: a soft tone, base64-encoded once, so a loaded server spends its
/// time on protocol work rather than on encoding.
enum SimAudio {
    /// 250 ms at 16 kHz (ElevenLabs `pcm_16000`).
    static let elevenLabsChunk = tone(rate: 16000, milliseconds: 250)
    /// 100 ms at 24 kHz (OpenAI Realtime).
    static let realtimeChunk = tone(rate: 24000, milliseconds: realtimeChunkMilliseconds)
    static let realtimeChunkMilliseconds = 100

    private static func tone(rate: Int, milliseconds: Int) -> String {
        let count = rate * milliseconds / 1000
        let samples = (0..<count).map { i in Int16(2000 * sin(Double(i) * 2 * .pi * 220 / Double(rate))) }
        return Base64.encode(AudioChunk(samples: samples, sampleRate: rate).pcm)
    }
}
