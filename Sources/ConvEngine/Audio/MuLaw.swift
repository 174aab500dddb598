/// G.711 μ-law, the `ulaw_8000` format of ElevenLabs agents (telephony): one byte per sample.
///
/// The encoder is the ITU-T G.711 one (bias 0x84, clip at 32635, bits inverted); decoding an
/// encoded sample gives it back within the format's step size.
public enum MuLaw {
    /// One μ-law byte per PCM16 sample of `chunk`.
    public static func encode(_ chunk: AudioChunk) -> [UInt8] {
        chunk.samples.map(encode(sample:))
    }

    /// PCM16 audio at `sampleRate` from μ-law bytes.
    public static func decode(_ bytes: [UInt8], sampleRate: Int) -> AudioChunk {
        AudioChunk(samples: bytes.map(decode(byte:)), sampleRate: sampleRate)
    }

    static func encode(sample: Int16) -> UInt8 {
        let bias = 0x84
        var magnitude = Int(sample)
        let sign: Int = magnitude < 0 ? 0x80 : 0
        if magnitude < 0 { magnitude = -magnitude }
        magnitude = min(magnitude, 32635) + bias
        var exponent = 7
        var mask = 0x4000
        while exponent > 0, magnitude & mask == 0 {
            exponent -= 1
            mask >>= 1
        }
        let mantissa = (magnitude >> (exponent + 3)) & 0x0F
        return UInt8(~(sign | exponent << 4 | mantissa) & 0xFF)
    }

    static func decode(byte: UInt8) -> Int16 {
        let value = Int(~byte & 0xFF)
        let exponent = (value >> 4) & 0x07
        let magnitude = (((value & 0x0F) << 3) + 0x84) << exponent
        return Int16(value & 0x80 != 0 ? 0x84 - magnitude : magnitude - 0x84)
    }
}
