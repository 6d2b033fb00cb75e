/// The ranking metrics of DESIGN.md "Metric definitions", with trec_eval semantics (see docs/metrics.md).
/// A cutoff `k` must be positive; pass `Int.max` for "the whole list".
extension JudgedRanking {
    /// precision@k = relevant items in the top k / k, dividing by k even when fewer than k items
    /// were ranked (trec_eval `P_k`).
    public func precision(at k: Int) -> Double {
        precondition(k > 0, "precision cutoff must be positive")
        return Double(relevantCount(inTop: k)) / Double(k)
    }

    /// recall@k = relevant items in the top k / all known relevant items; 0 when none is known
    /// (trec_eval `recall_k`).
    public func recall(at k: Int) -> Double {
        precondition(k > 0, "recall cutoff must be positive")
        guard relevantCount > 0 else { return 0 }
        return Double(relevantCount(inTop: k)) / Double(relevantCount)
    }

    /// hit@k = 1 when at least one relevant item is in the top k, else 0 (ir-measures `Success@k`).
    public func hit(at k: Int) -> Double {
        precondition(k > 0, "hit cutoff must be positive")
        return relevantCount(inTop: k) > 0 ? 1 : 0
    }

    /// DCG@k = Σ_{i ≤ k} gain(r_i) / log2(i + 1).
    public func dcg(at k: Int, gain: Gain = .linear) -> Double {
        precondition(k > 0, "DCG cutoff must be positive")
        return Self.discountedGain(grades, cutoff: k, gain: gain)
    }

    /// NDCG@k = DCG@k / IDCG@k, where IDCG@k is the DCG of the ideal ordering of every judged item
    /// (trec_eval `ndcg_cut_k`); 0 when no item has a positive grade.
    public func ndcg(at k: Int, gain: Gain = .linear) -> Double {
        precondition(k > 0, "NDCG cutoff must be positive")
        let ideal = Self.discountedGain(idealGrades, cutoff: k, gain: gain)
        guard ideal > 0 else { return 0 }
        return Self.discountedGain(grades, cutoff: k, gain: gain) / ideal
    }

    /// Reciprocal rank of the first relevant item over the whole list, 0 if none (trec_eval `recip_rank`).
    public var reciprocalRank: Double {
        for index in grades.indices where isRelevant(at: index) {
            return 1 / Double(index + 1)
        }
        return 0
    }

    /// Average precision over the top k: Σ over relevant ranks i ≤ k of precision@i, divided by
    /// all known relevant items, retrieved or not (trec_eval `map_cut_k`; `Int.max` gives `map`).
    public func averagePrecision(at k: Int = .max) -> Double {
        precondition(k > 0, "AP cutoff must be positive")
        guard relevantCount > 0 else { return 0 }
        var found = 0
        var sum = 0.0
        for index in 0..<min(k, grades.count) where isRelevant(at: index) {
            found += 1
            sum += Double(found) / Double(index + 1)
        }
        return sum / Double(relevantCount)
    }

    /// Relevant items among the first `k` ranks.
    private func relevantCount(inTop k: Int) -> Int {
        var count = 0
        for index in 0..<min(k, grades.count) where isRelevant(at: index) { count += 1 }
        return count
    }

    /// Σ_{i < cutoff} gain(grade_i) · discount(i) over grades in rank order.
    private static func discountedGain(_ grades: [Double], cutoff: Int, gain: Gain) -> Double {
        var sum = 0.0
        for index in 0..<min(cutoff, grades.count) where grades[index] > 0 {
            sum += gain.value(of: grades[index]) * rankDiscount(index: index)
        }
        return sum
    }
}
