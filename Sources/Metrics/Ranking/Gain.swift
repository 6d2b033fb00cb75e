import Foundation

/// How a relevance grade turns into gain in DCG: linear (the grade itself, as trec_eval's
/// ndcg_cut) or exponential (2^grade − 1, as Burges et al. and many learning-to-rank tools).
public enum Gain: String, Sendable, Hashable, CaseIterable, Codable {
    case linear
    case exponential

    /// The gain of one item with the given grade; grades at or below zero earn nothing.
    @inline(__always)
    public func value(of grade: Double) -> Double {
        guard grade > 0 else { return 0 }
        switch self {
        case .linear: return grade
        case .exponential: return exp2(grade) - 1
        }
    }
}

/// Position discounts 1 / log2(rank + 1) for the first ranks, so DCG does not recompute logarithms.
private let precomputedDiscounts: [Double] = (0..<256).map { 1 / log2(Double($0) + 2) }

/// The DCG discount of the item at zero-based `index` (rank index + 1): 1 / log2(index + 2).
@inline(__always)
func rankDiscount(index: Int) -> Double {
    index < precomputedDiscounts.count ? precomputedDiscounts[index] : 1 / log2(Double(index) + 2)
}
