/// Draws an index with probability proportional to its weight (cumulative sums and binary search).
struct WeightedSampler: Sendable, Equatable {
    private let cumulative: [Double]

    /// A sampler over `weights`; non-positive weights are never drawn unless all are.
    init(weights: [Double]) {
        var total = 0.0
        cumulative = weights.map { weight in
            total += max(weight, 0)
            return total
        }
    }

    /// The number of outcomes.
    var count: Int { cumulative.count }

    /// A weighted random index in `0..<count` (0 for an empty or all-zero sampler).
    func draw<G: RandomNumberGenerator>(using generator: inout G) -> Int {
        guard let total = cumulative.last, total > 0 else { return 0 }
        let target = generator.nextUnitDouble() * total
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
