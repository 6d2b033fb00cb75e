/// A family-wise or false-discovery-rate correction across arms × metrics.
public enum MultipleTestingMethod: String, Sendable, Hashable, Codable, CaseIterable {
    /// Holm's step-down method (1979): controls the family-wise error rate.
    case holm
    /// Benjamini and Hochberg's step-up method (1995): controls the false discovery rate.
    case benjaminiHochberg
}

/// Adjusted p-values, equal to statsmodels `multipletests(method="holm" / "fdr_bh")`.
public enum MultipleTesting {
    /// The adjusted p-values, in the order of `pValues`.
    /// Holm: p̃_(i) = max_{j ≤ i} min(1, (m − j + 1) p_(j)).
    /// BH:   p̃_(i) = min_{j ≥ i} min(1, m p_(j) / j).
    public static func adjust(_ pValues: [Double], method: MultipleTestingMethod) -> [Double] {
        let m = pValues.count
        guard m > 0 else { return [] }
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var adjusted = [Double](repeating: 1, count: m)
        switch method {
        case .holm:
            var running = 0.0
            for (rank, index) in order.enumerated() {
                running = max(running, min(1, Double(m - rank) * pValues[index]))
                adjusted[index] = running
            }
        case .benjaminiHochberg:
            var running = 1.0
            for (rank, index) in order.enumerated().reversed() {
                running = min(running, min(1, Double(m) * pValues[index] / Double(rank + 1)))
                adjusted[index] = running
            }
        }
        return adjusted
    }
}
