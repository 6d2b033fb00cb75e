/// The outcome of assigning one unit to one experiment.
public struct Assignment: Sendable, Equatable {
    /// Why a unit got no arm.
    public enum Exclusion: String, Sendable, Equatable, CaseIterable {
        /// The experiment's status is not `running` (or the time is outside its schedule).
        case notRunning
        /// The unit's context fails the targeting rule.
        case notTargeted
        /// The unit is in the global holdout.
        case inHoldout
        /// The unit's layer bucket is in another experiment's segment of the layer.
        case outsideLayerSegment
        /// The unit is not in the experiment's traffic share.
        case notInTraffic
    }

    /// The arm the unit is in, or nil when excluded.
    public var arm: String?
    /// Why the unit is excluded; nil exactly when `arm` is set.
    public var exclusion: Exclusion?
    /// Probability the unit had of landing on `arm` under the weights in force (the arm's
    /// weight); 0 when excluded. For a sticky unit it is the arm's current weight too.
    public var propensity: Double
    /// The allocation version in force.
    public var allocationVersion: Int64
    /// Whether the arm was kept from the unit's stored first assignment.
    public var isSticky: Bool

    public init(arm: String?, exclusion: Exclusion?, propensity: Double, allocationVersion: Int64, isSticky: Bool = false) {
        self.arm = arm
        self.exclusion = exclusion
        self.propensity = propensity
        self.allocationVersion = allocationVersion
        self.isSticky = isSticky
    }

    /// An excluded unit.
    public static func excluded(_ reason: Exclusion, version: Int64) -> Assignment {
        Assignment(arm: nil, exclusion: reason, propensity: 0, allocationVersion: version)
    }
}
