import Spec

/// Ranks items for one arm of one experiment: given the arm (its strategy and parameters),
/// the unit and its context, returns up to `k` items, best first, none of them in `exclude`.
/// `rank` must not block on I/O: decisions are answered from memory. A ranker that must wait
/// (an arm served by a remote model) does so in `rankSuspending`, which the service awaits.
public protocol Ranker: Sendable {
    func rank(
        experiment: String,
        arm: ArmSpec,
        unitID: String,
        context: [String: AttributeValue],
        k: Int,
        exclude: Set<String>
    ) -> [(itemID: String, score: Double)]

    /// As `rank`, but may suspend while it waits on I/O, holding no thread.
    func rankSuspending(
        experiment: String,
        arm: ArmSpec,
        unitID: String,
        context: [String: AttributeValue],
        k: Int,
        exclude: Set<String>
    ) async -> [(itemID: String, score: Double)]
}

extension Ranker {
    /// Rankers that never wait answer synchronously.
    public func rankSuspending(
        experiment: String,
        arm: ArmSpec,
        unitID: String,
        context: [String: AttributeValue],
        k: Int,
        exclude: Set<String>
    ) async -> [(itemID: String, score: Double)] {
        rank(experiment: experiment, arm: arm, unitID: unitID, context: context, k: k, exclude: exclude)
    }
}
