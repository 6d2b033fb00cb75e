import Stats

/// The tests' own draws (which users and items to show), separate from the world's.
struct SplitMix64Sampler {
    private var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    mutating func int(below bound: Int) -> Int { Int(generator.next() % UInt64(bound)) }
}
