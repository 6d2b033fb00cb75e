import Spec

/// Ranks items for one arm of one experiment: given the arm (its strategy and parameters),
/// the unit and its context, returns up to `k` items, best first, none of them in `exclude`.
/// Must not block on I/O: decisions are answered from memory.
public protocol Ranker: Sendable {
    func rank(
        experiment: String,
        arm: ArmSpec,
        unitID: String,
        context: [String: AttributeValue],
        k: Int,
        exclude: Set<String>
    ) -> [(itemID: String, score: Double)]
}
