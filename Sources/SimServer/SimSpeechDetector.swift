import ConvEngine

/// A server VAD for the simulator: it tells speech from silence by the loudness of the audio
/// received, measured over *audio time*, never wall-clock time. A turn ends after `silence` of
/// quiet audio following speech, so a client that stops sending after its last loud chunk
/// never ends its turn, as on the real services.
struct SimSpeechDetector {
    /// What one chunk of audio changed.
    enum Change: Equatable {
        case speechStarted
        case speechEnded
    }

    /// Quiet audio that ends a turn.
    let silence: Duration
    /// RMS (PCM16) above which a 10 ms window counts as speech.
    static var speechLevel: Double { 500 }

    private var speaking = false
    private var quietMilliseconds = 0

    init(silence: Duration) {
        self.silence = silence
    }

    /// Feeds received audio; returns what changed, in order.
    mutating func feed(_ chunk: AudioChunk) -> [Change] {
        let samples = chunk.samples
        let window = max(1, chunk.sampleRate / 100)
        let silenceMilliseconds = Int(silence.components.seconds * 1000 + silence.components.attoseconds / 1_000_000_000_000_000)
        var changes: [Change] = []
        var start = 0
        while start < samples.count {
            let end = min(samples.count, start + window)
            let energy = samples[start..<end].reduce(0.0) { $0 + Double($1) * Double($1) }
            let loud = (energy / Double(end - start)).squareRoot() > Self.speechLevel
            let milliseconds = (end - start) * 1000 / max(1, chunk.sampleRate)
            if loud {
                if !speaking { changes.append(.speechStarted) }
                speaking = true
                quietMilliseconds = 0
            } else if speaking {
                quietMilliseconds += milliseconds
                if quietMilliseconds >= silenceMilliseconds {
                    speaking = false
                    quietMilliseconds = 0
                    changes.append(.speechEnded)
                }
            }
            start = end
        }
        return changes
    }
}
