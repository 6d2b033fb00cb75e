/// SplitMix64 (Steele, Lea and Flood), the same generator as `Stats.SplitMix64`, kept here
/// because Strategies depends on nothing; its state is saved with models that sample.
struct SeededGenerator: RandomNumberGenerator, Sendable, Codable {
    private(set) var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform Float in [0, 1).
    mutating func unitFloat() -> Float {
        Float(next() >> 40) * 0x1.0p-24
    }

    /// A uniform integer in 0..<bound (bound > 0), by Lemire's multiply-shift (bias < 2⁻³²).
    mutating func below(_ bound: Int) -> Int {
        Int((UInt64(UInt32(truncatingIfNeeded: next() >> 32)) &* UInt64(bound)) >> 32)
    }
}
