/// Converts PCM16 mono between sample rates by linear interpolation.
///
/// Good enough for speech sent to a recognizer (which band-limits on its own) and cheap:
/// one pass, no allocation beyond the output.
public enum Resampler {
    /// `chunk` at `rate`; the same chunk when the rate already matches.
    public static func convert(_ chunk: AudioChunk, to rate: Int) -> AudioChunk {
        guard rate > 0, chunk.sampleRate > 0, chunk.sampleRate != rate, chunk.sampleCount > 0 else { return chunk }
        let input = chunk.samples
        let count = max(1, input.count * rate / chunk.sampleRate)
        let step = Double(chunk.sampleRate) / Double(rate)
        var output = [Int16]()
        output.reserveCapacity(count)
        for i in 0..<count {
            let position = Double(i) * step
            let index = min(Int(position), input.count - 1)
            let next = min(index + 1, input.count - 1)
            let fraction = position - Double(index)
            let value = Double(input[index]) * (1 - fraction) + Double(input[next]) * fraction
            output.append(Int16(max(-32768, min(32767, value.rounded()))))
        }
        return AudioChunk(samples: output, sampleRate: rate)
    }
}

extension AudioChunk {
    /// The PCM16LE bytes as samples.
    public var samples: [Int16] {
        var result = [Int16]()
        result.reserveCapacity(sampleCount)
        var i = 0
        while i + 1 < pcm.count {
            result.append(Int16(bitPattern: UInt16(pcm[i]) | UInt16(pcm[i + 1]) << 8))
            i += 2
        }
        return result
    }
}
