/// The probability that each arm is chosen by the next decisions: non-negative and
/// summing to 1, in the order of the statistics they were computed from.
public struct ArmWeights: Sendable, Hashable, Codable {
    /// Arm keys, in order.
    public let arms: [String]
    /// The weight of each arm, aligned with `arms`.
    public let values: [Double]

    /// Creates weights, checking that arms are distinct and values are finite, non-negative and sum to 1 (within 1e-9).
    public init(arms: [String], values: [Double]) throws(BanditsError) {
        guard arms.count == values.count, !arms.isEmpty else {
            throw .invalidWeights("\(arms.count) arms but \(values.count) weights")
        }
        guard Set(arms).count == arms.count else { throw .duplicateArms(arms) }
        guard values.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw .invalidWeights("weights must be finite and non-negative, got \(values)")
        }
        let total = values.reduce(0, +)
        guard abs(total - 1) <= 1e-9 else { throw .invalidWeights("weights sum to \(total), not 1") }
        self.arms = arms
        self.values = values
    }

    /// Internal initialiser for values the caller has already normalised.
    init(uncheckedArms arms: [String], values: [Double]) {
        self.arms = arms
        self.values = values
    }

    /// Equal weights over `arms`.
    public static func equal(arms: [String]) -> ArmWeights {
        ArmWeights(uncheckedArms: arms, values: Array(repeating: 1 / Double(arms.count), count: arms.count))
    }

    /// The weight of `arm`, or nil if it is not one of these arms.
    public subscript(arm: String) -> Double? {
        arms.firstIndex(of: arm).map { values[$0] }
    }

    /// Normalises non-negative `scores` into weights (equal weights when they sum to 0).
    static func normalising(arms: [String], scores: [Double]) -> ArmWeights {
        let total = scores.reduce(0, +)
        guard total > 0, total.isFinite else { return .equal(arms: arms) }
        return ArmWeights(uncheckedArms: arms, values: scores.map { $0 / total })
    }
}
