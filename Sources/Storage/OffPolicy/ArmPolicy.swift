/// A candidate policy over an experiment's arms that ignores context: each arm with a fixed
/// probability. `always("b")` is the policy that serves arm b to everyone.
public struct ArmPolicy: Sendable, Hashable, CustomStringConvertible {
    /// Probability per arm, summing to 1.
    public let probabilities: [String: Double]

    /// Normalises non-negative `weights` to probabilities; throws when none is positive.
    public init(weights: [String: Double]) throws(StorageError) {
        guard weights.values.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw StorageError("candidate weights must be non-negative numbers")
        }
        let total = weights.values.reduce(0, +)
        guard total > 0 else { throw StorageError("the candidate gives no arm a positive weight") }
        probabilities = weights.filter { $0.value > 0 }.mapValues { $0 / total }
    }

    /// The policy that always picks `arm`.
    public static func always(_ arm: String) -> ArmPolicy {
        ArmPolicy(unchecked: [arm: 1])
    }

    private init(unchecked: [String: Double]) { probabilities = unchecked }

    /// The probability of `arm` (0 when the candidate never picks it).
    public func probability(of arm: String) -> Double { probabilities[arm] ?? 0 }

    public var description: String {
        probabilities.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}
