/// Reads and writes RIFF/WAVE files holding 16-bit PCM.
///
/// Reading takes mono or stereo (stereo is mixed down) at any rate; the result is mono PCM16
/// for ``Resampler`` to bring to the backend's rate.
public enum WAVFile {
    /// Why a file is not a WAV file we can play.
    public struct FormatError: Error, Equatable, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The mono audio in a WAV file's bytes.
    public static func decode(_ bytes: [UInt8]) throws(FormatError) -> AudioChunk {
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        func tag(_ at: Int) -> String { String(decoding: bytes[at..<at + 4], as: UTF8.self) }
        guard bytes.count >= 12, tag(0) == "RIFF", tag(8) == "WAVE" else { throw FormatError(message: "not a RIFF/WAVE file") }
        var offset = 12
        var format: (channels: Int, rate: Int, bits: Int)?
        while offset + 8 <= bytes.count {
            let id = tag(offset)
            let size = u32(offset + 4)
            let body = offset + 8
            guard body + size <= bytes.count || id == "data" else { throw FormatError(message: "truncated \(id) chunk") }
            if id == "fmt " {
                guard size >= 16 else { throw FormatError(message: "short fmt chunk") }
                let encoding = u16(body)
                guard encoding == 1 || encoding == 0xFFFE else { throw FormatError(message: "not PCM (format \(encoding))") }
                format = (u16(body + 2), u32(body + 4), u16(body + 14))
            } else if id == "data" {
                guard let format else { throw FormatError(message: "data before fmt chunk") }
                guard format.bits == 16 else { throw FormatError(message: "\(format.bits)-bit samples; only 16-bit PCM is supported") }
                guard format.channels == 1 || format.channels == 2 else {
                    throw FormatError(message: "\(format.channels) channels; only mono or stereo is supported")
                }
                guard (8000...96000).contains(format.rate) else { throw FormatError(message: "unsupported sample rate \(format.rate)") }
                let end = min(bytes.count, body + size)
                return mixDown(Array(bytes[body..<end]), channels: format.channels, rate: format.rate)
            }
            offset = body + size + (size & 1)
        }
        throw FormatError(message: "no data chunk")
    }

    private static func mixDown(_ data: [UInt8], channels: Int, rate: Int) -> AudioChunk {
        let frameBytes = 2 * channels
        let usable = data.count - data.count % frameBytes
        guard channels == 2 else { return AudioChunk(pcm: Array(data[0..<usable]), sampleRate: rate) }
        var samples = [Int16]()
        samples.reserveCapacity(usable / frameBytes)
        var i = 0
        while i < usable {
            let left = Int(Int16(bitPattern: UInt16(data[i]) | UInt16(data[i + 1]) << 8))
            let right = Int(Int16(bitPattern: UInt16(data[i + 2]) | UInt16(data[i + 3]) << 8))
            samples.append(Int16((left + right) / 2))
            i += 4
        }
        return AudioChunk(samples: samples, sampleRate: rate)
    }

    /// The 44-byte header of a mono PCM16 file holding `dataBytes` bytes of samples.
    public static func header(sampleRate: Int, dataBytes: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(44)
        func u16(_ v: Int) { out += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func u32(_ v: Int) { u16(v & 0xFFFF); u16(v >> 16 & 0xFFFF) }
        out += Array("RIFF".utf8); u32(36 + dataBytes); out += Array("WAVE".utf8)
        out += Array("fmt ".utf8); u32(16); u16(1); u16(1); u32(sampleRate); u32(sampleRate * 2); u16(2); u16(16)
        out += Array("data".utf8); u32(dataBytes)
        return out
    }

    /// A complete mono PCM16 file.
    public static func encode(_ audio: AudioChunk) -> [UInt8] {
        header(sampleRate: audio.sampleRate, dataBytes: audio.pcm.count) + audio.pcm
    }
}
