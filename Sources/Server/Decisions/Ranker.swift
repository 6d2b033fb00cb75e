import Spec

/// Ranks items for one arm: given the arm (its strategy and parameters), the unit and its
/// context, returns up to `k` items, best first, none of them in `exclude`. Must not block
/// on I/O: decisions are answered from memory.
public protocol Ranker: Sendable {
    func rank(arm: ArmSpec, unitID: String, context: [String: AttributeValue], k: Int, exclude: Set<String>) -> [(itemID: String, score: Double)]
}
