extension Comparison {
    /// Adjusts the decision p-values of all comparisons of an experiment (arms × metrics)
    /// together, and recomputes which are significant at `alpha`.
    public static func applyMultipleTesting(
        _ results: [MetricComparison],
        method: MultipleTestingMethod,
        alpha: Double = 0.05
    ) -> [MetricComparison] {
        let raw = results.map { $0.usesSequentialPValue ? $0.sequentialPValue : $0.pValue }
        let adjusted = MultipleTesting.adjust(raw, method: method)
        return zip(results, adjusted).map { result, p in
            var result = result
            result.adjustedPValue = p
            result.isSignificant = result.isSignificant && p < alpha
            return result
        }
    }
}
