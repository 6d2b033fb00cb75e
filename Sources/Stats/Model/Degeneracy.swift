/// Data that no test can use; results carry it as a message instead of crashing or
/// printing NaN.
public enum Degeneracy: String, Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// An arm has no units.
    case emptyArm
    /// An arm has fewer than two units, so no variance can be estimated.
    case tooFewUnits
    /// An arm's variance is zero (or negative from rounding), so the standard error is zero.
    case zeroVariance
    /// The control mean is zero, so a relative lift is undefined.
    case zeroControlMean
    /// A ratio metric's denominator sums to zero in an arm.
    case zeroDenominator
    /// The inputs contain NaN or infinity.
    case nonFiniteInput

    public var description: String {
        switch self {
        case .emptyArm: "An arm has no units yet; wait for traffic before testing."
        case .tooFewUnits: "An arm has fewer than two units; wait for more traffic before testing."
        case .zeroVariance: "The metric does not vary within an arm; no test is possible until it does."
        case .zeroControlMean: "The control mean is zero, so the relative lift is undefined; use the absolute lift."
        case .zeroDenominator: "The ratio metric's denominator is zero in an arm; check the metric's definition or wait for data."
        case .nonFiniteInput: "The sufficient statistics contain NaN or infinity; check the evaluator query."
        }
    }
}
