/// The outcome of one allocation update: the weights before and after and the statistics
/// that produced them.
public struct AllocationUpdate: Sendable, Equatable {
    /// The experiment's name.
    public var experiment: String
    /// The allocation version written, or the one a dry run would have written.
    public var version: Int64
    /// The allocation in force before the update.
    public var previousVersion: Int64?
    /// Arm keys in spec order.
    public var arms: [String]
    /// What was (or on a dry run would have been) stored with the row.
    public var statistics: AllocationStatistics
    /// True when nothing was written.
    public var isDryRun: Bool

    /// The new weight of each arm, in spec order.
    public var weights: [Double] { arms.map { statistics.arms[$0]?.weight ?? 0 } }

    /// The weight of each arm before the update (nil for arms that had none), in spec order.
    public var previousWeights: [Double?] { arms.map { statistics.arms[$0]?.previousWeight } }
}
