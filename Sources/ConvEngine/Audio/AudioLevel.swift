#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The level of PCM16 audio in dBFS, for the panes' meters.
///
/// RMS over the samples, scaled as AES17 does so that a full-scale sine reads 0 dBFS (a
/// sine at half scale, -6.02 dBFS; full-scale square waves read +3.01). Silence reads ``floor``.
public enum AudioLevel {
    /// The lowest level reported: digital silence and anything quieter.
    public static var floor: Double { -90 }

    /// The level of `samples`.
    public static func dBFS(_ samples: [Int16]) -> Double {
        guard !samples.isEmpty else { return floor }
        var sum = 0.0
        for sample in samples {
            let value = Double(sample)
            sum += value * value
        }
        let rms = (sum / Double(samples.count)).squareRoot() / 32768
        guard rms > 0 else { return floor }
        // +3.01 dB: a sine's RMS is its peak over √2.
        return max(floor, 20 * log10(rms * 2.0.squareRoot()))
    }

    /// A meter `cells` wide for `level`: one more full cell per `60 / cells` dB above -60 dBFS
    /// (speech sits around -30 to -10); nil (nothing heard lately) is all empty.
    public static func bar(_ level: Double?, cells: Int) -> String {
        let full = level.map { Int(((($0 + 60) / 60) * Double(cells)).rounded()) } ?? 0
        let lit = min(cells, max(0, full))
        return String(repeating: "▮", count: lit) + String(repeating: "▯", count: cells - lit)
    }
}
