/// A piece of 16-bit little-endian mono PCM, with its sample rate.
public struct AudioChunk: Sendable, Equatable {
    public let pcm: [UInt8]
    public let sampleRate: Int

    public init(pcm: [UInt8], sampleRate: Int) {
        self.pcm = pcm
        self.sampleRate = sampleRate
    }

    /// `samples` as PCM16LE bytes.
    public init(samples: [Int16], sampleRate: Int) {
        var bytes = [UInt8]()
        bytes.reserveCapacity(samples.count * 2)
        for s in samples {
            bytes.append(UInt8(truncatingIfNeeded: s))
            bytes.append(UInt8(truncatingIfNeeded: s >> 8))
        }
        self.init(pcm: bytes, sampleRate: sampleRate)
    }

    /// `milliseconds` of digital silence.
    public static func silence(milliseconds: Int, sampleRate: Int) -> AudioChunk {
        AudioChunk(pcm: [UInt8](repeating: 0, count: max(0, sampleRate * milliseconds / 1000) * 2), sampleRate: sampleRate)
    }

    public var sampleCount: Int { pcm.count / 2 }

    public var durationMilliseconds: Int {
        sampleRate > 0 ? sampleCount * 1000 / sampleRate : 0
    }

    /// Consecutive chunks of about `milliseconds` each (the last may be shorter).
    public func split(milliseconds: Int) -> [AudioChunk] {
        let samplesPerChunk = max(1, sampleRate * milliseconds / 1000)
        let bytesPerChunk = samplesPerChunk * 2
        return stride(from: 0, to: pcm.count, by: bytesPerChunk).map {
            AudioChunk(pcm: Array(pcm[$0..<min($0 + bytesPerChunk, pcm.count)]), sampleRate: sampleRate)
        }
    }
}
