/// Limits the experiment spec puts on any policy's weights; `constrain(proposed:previous:statistics:constraints:)`
/// applies them after the policy.
public struct AllocationConstraints: Sendable, Hashable, Codable {
    /// Until every arm has at least this many units, the weights stay at `initialWeights`.
    public var burnInUnits: Double
    /// The smallest weight any non-control arm may get (0 for none).
    public var floor: Double
    /// The largest |w_new − w_old| any arm may move in one update; nil for no limit.
    public var maxChange: Double?
    /// An arm that keeps exactly a reserved share of traffic; the others split the rest.
    public var control: ReservedShare?
    /// The weights before the burn-in ends; nil for equal weights.
    public var initialWeights: ArmWeights?

    /// A control arm's reserved share of traffic.
    public struct ReservedShare: Sendable, Hashable, Codable {
        /// The control arm's key.
        public var arm: String
        /// Its share of traffic, in (0, 1).
        public var share: Double

        /// Reserves `share` of traffic for `arm`.
        public init(arm: String, share: Double) {
            self.arm = arm
            self.share = share
        }
    }

    /// Creates constraints; the defaults impose nothing.
    public init(
        burnInUnits: Double = 0,
        floor: Double = 0,
        maxChange: Double? = nil,
        control: ReservedShare? = nil,
        initialWeights: ArmWeights? = nil
    ) {
        self.burnInUnits = burnInUnits
        self.floor = floor
        self.maxChange = maxChange
        self.control = control
        self.initialWeights = initialWeights
    }

    /// No constraints at all.
    public static let none = AllocationConstraints()

    /// Checks each parameter's range and that `armCount` arms can meet floor and control share together.
    public func validate(armCount: Int) throws(BanditsError) {
        try require(burnInUnits, "burn-in units", "finite and ≥ 0") { $0.isFinite && $0 >= 0 }
        try require(floor, "floor", "in [0, 1]") { $0 >= 0 && $0 <= 1 }
        if let maxChange { try require(maxChange, "max change", "in (0, 1]") { $0 > 0 && $0 <= 1 } }
        let reserved = control?.share ?? 0
        if let control {
            try require(control.share, "control share", "in (0, 1)") { $0 > 0 && $0 < 1 }
            guard armCount > 1 else { throw .infeasibleConstraints("a reserved control share needs at least two arms") }
        }
        let others = Double(armCount - (control == nil ? 0 : 1))
        guard floor * others <= 1 - reserved + 1e-12 else {
            throw .infeasibleConstraints(
                "\(Int(others)) arms with floor \(floor) need \(floor * others) of traffic but only \(1 - reserved) is left; lower the floor"
            )
        }
    }
}
