/// Additive sufficient statistics of one metric for one arm, as the SQL evaluator
/// aggregates them per unit: the count of units, the sum and the sum of squares of the
/// per-unit values. Ratio metrics also carry the denominator's sums and the cross product.
public struct SufficientStatistics: Sendable, Hashable, Codable {
    /// Number of units (the unit of randomization).
    public var count: Double
    /// Σ x over units.
    public var sum: Double
    /// Σ x² over units.
    public var sumOfSquares: Double
    /// Σ y over units, for ratio metrics (x / y); nil for plain means.
    public var denominatorSum: Double?
    /// Σ y² over units, for ratio metrics.
    public var denominatorSumOfSquares: Double?
    /// Σ x·y over units, for ratio metrics.
    public var crossProductSum: Double?

    public init(
        count: Double,
        sum: Double,
        sumOfSquares: Double,
        denominatorSum: Double? = nil,
        denominatorSumOfSquares: Double? = nil,
        crossProductSum: Double? = nil
    ) {
        self.count = count
        self.sum = sum
        self.sumOfSquares = sumOfSquares
        self.denominatorSum = denominatorSum
        self.denominatorSumOfSquares = denominatorSumOfSquares
        self.crossProductSum = crossProductSum
    }

    /// Statistics of a list of per-unit values.
    public init<S: Sequence>(values: S) where S.Element == Double {
        var n = 0.0
        var s = 0.0
        var ss = 0.0
        for x in values {
            n += 1
            s += x
            ss += x * x
        }
        self.init(count: n, sum: s, sumOfSquares: ss)
    }

    /// The empty statistics, identity of `+`.
    public static let zero = SufficientStatistics(count: 0, sum: 0, sumOfSquares: 0)

    /// Whether this describes a ratio metric (numerator and denominator per unit).
    public var isRatio: Bool { denominatorSum != nil }

    /// Combines the statistics of two disjoint sets of units.
    public static func + (lhs: SufficientStatistics, rhs: SufficientStatistics) -> SufficientStatistics {
        func add(_ a: Double?, _ b: Double?) -> Double? {
            switch (a, b) {
            case (nil, nil): nil
            default: (a ?? 0) + (b ?? 0)
            }
        }
        return SufficientStatistics(
            count: lhs.count + rhs.count,
            sum: lhs.sum + rhs.sum,
            sumOfSquares: lhs.sumOfSquares + rhs.sumOfSquares,
            denominatorSum: add(lhs.denominatorSum, rhs.denominatorSum),
            denominatorSumOfSquares: add(lhs.denominatorSumOfSquares, rhs.denominatorSumOfSquares),
            crossProductSum: add(lhs.crossProductSum, rhs.crossProductSum)
        )
    }
}
