import Foundation

/// Draws negative items with probability ∝ count^alpha of their training occurrences (alpha 0
/// is uniform over seen items, 1 is popularity), so never-seen items are never negatives.
struct NegativeSampler: Sendable {
    private let items: [Int]
    private let cumulative: [Double]

    init(counts: [Int], alpha: Double) {
        var items: [Int] = []
        var cumulative: [Double] = []
        var total = 0.0
        for (item, count) in counts.enumerated() where count > 0 {
            total += pow(Double(count), alpha)
            items.append(item)
            cumulative.append(total)
        }
        self.items = items
        self.cumulative = cumulative
    }

    var isEmpty: Bool { items.isEmpty }

    /// `count` draws with replacement.
    func sample(_ count: Int, using generator: inout SeededGenerator) -> [Int] {
        guard let total = cumulative.last else { return [] }
        return (0..<count).map { _ in
            let target = Double(generator.next() >> 11) * 0x1.0p-53 * total
            var (low, high) = (0, cumulative.count - 1)
            while low < high {
                let middle = (low + high) / 2
                if cumulative[middle] > target { high = middle } else { low = middle + 1 }
            }
            return items[low]
        }
    }
}
