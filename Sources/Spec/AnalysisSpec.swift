/// How results are tested.
public struct AnalysisSpec: Codable, Sendable, Equatable {
    /// Multiple-testing correction across arms and metrics.
    public enum Correction: String, Codable, Sendable, CaseIterable {
        case holm
        case benjaminiHochberg = "benjamini_hochberg"
        case none
    }

    /// Significance level, 0 < alpha < 1 (0.05 by default).
    public var alpha: Double
    /// Always-valid p-values, so peeking is safe.
    public var sequential: Bool
    public var correction: Correction
    /// Pre-period covariate for CUPED; nil for none.
    public var cuped: String?

    public init(alpha: Double = 0.05, sequential: Bool = true, correction: Correction = .holm, cuped: String? = nil) {
        self.alpha = alpha
        self.sequential = sequential
        self.correction = correction
        self.cuped = cuped
    }
}
