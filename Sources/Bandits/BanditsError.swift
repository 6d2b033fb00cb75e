/// Why a policy, a constraint or a simulation could not be computed; each prints as one
/// sentence saying what to fix.
public enum BanditsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A policy or constraint parameter is out of range.
    case invalidParameter(name: String, value: Double, requirement: String)
    /// There are no arms to allocate between.
    case noArms
    /// The same arm key appears more than once.
    case duplicateArms([String])
    /// Weights that do not form a probability vector, or do not match the arms.
    case invalidWeights(String)
    /// Statistics with a negative or non-finite count, sum or sum of squares.
    case invalidStatistics(arm: String)
    /// An arm the policy or constraint needs is missing from the statistics (or vice versa).
    case unknownArm(String)
    /// Constraints that no weights can satisfy for this number of arms.
    case infeasibleConstraints(String)
    /// A context vector whose length differs from the model's dimension.
    case contextDimension(expected: Int, actual: Int)
    /// A context with a NaN or infinite feature, or a non-finite reward.
    case nonFiniteInput(String)

    public var description: String {
        switch self {
        case .invalidParameter(let name, let value, let requirement):
            "Parameter \(name) is \(value) but must be \(requirement)."
        case .noArms:
            "There are no arms to allocate between; give at least one arm."
        case .duplicateArms(let arms):
            "Arm keys must be distinct, got \(arms.joined(separator: ", "))."
        case .invalidWeights(let detail):
            "Invalid arm weights: \(detail)."
        case .invalidStatistics(let arm):
            "Statistics of arm \(arm) must have finite, non-negative count and sum of squares."
        case .unknownArm(let arm):
            "Arm \(arm) is not among the arms given; check the arm keys match the experiment."
        case .infeasibleConstraints(let detail):
            "The allocation constraints cannot all hold: \(detail)."
        case .contextDimension(let expected, let actual):
            "The context has \(actual) features but the model expects \(expected)."
        case .nonFiniteInput(let what):
            "The \(what) must be finite; drop or impute NaN and infinite values first."
        }
    }
}
