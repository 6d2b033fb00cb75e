import Foundation

/// A validated experiment: who enters, which arms they see with what weights, how traffic
/// moves between arms, and how the outcome is measured. Every default is filled in, so two
/// specs that behave the same compare equal and encode to the same canonical JSON.
public struct ExperimentSpec: Codable, Sendable, Equatable {
    /// Unique name; also the default hashing salt.
    public var name: String
    public var description: String
    public var owner: String?
    public var type: ExperimentType
    public var unit: RandomizationUnit
    public var status: ExperimentStatus
    /// Salt of the arm hash; defaults to `name`.
    public var salt: String
    public var schedule: Schedule
    /// Share (0…1) of eligible units that enter the experiment.
    public var traffic: Double
    public var layer: LayerSpec?
    public var holdout: HoldoutSpec?
    public var targeting: TargetingRule?
    public var arms: [ArmSpec]
    public var allocation: AllocationSpec
    /// Keep a unit on its first arm when weights change.
    public var sticky: Bool
    /// Arm served to units outside the experiment; the control unless given.
    public var fallback: String?
    public var metrics: MetricsSpec
    public var analysis: AnalysisSpec

    public init(
        name: String,
        description: String = "",
        owner: String? = nil,
        type: ExperimentType = .ab,
        unit: RandomizationUnit = .user,
        status: ExperimentStatus = .draft,
        salt: String? = nil,
        schedule: Schedule = Schedule(),
        traffic: Double = 1,
        layer: LayerSpec? = nil,
        holdout: HoldoutSpec? = nil,
        targeting: TargetingRule? = nil,
        arms: [ArmSpec],
        allocation: AllocationSpec = .fixed,
        sticky: Bool = true,
        fallback: String? = nil,
        metrics: MetricsSpec,
        analysis: AnalysisSpec = AnalysisSpec()
    ) {
        self.name = name
        self.description = description
        self.owner = owner
        self.type = type
        self.unit = unit
        self.status = status
        self.salt = salt ?? name
        self.schedule = schedule
        self.traffic = traffic
        self.layer = layer
        self.holdout = holdout
        self.targeting = targeting
        self.arms = arms
        self.allocation = allocation
        self.sticky = sticky
        self.fallback = fallback
        self.metrics = metrics
        self.analysis = analysis
    }

    /// The arm marked as control, if any.
    public var control: ArmSpec? { arms.first { $0.isControl } }

    /// The arms' initial weights by key.
    public var initialWeights: [String: Double] {
        Dictionary(arms.map { ($0.key, $0.weight) }, uniquingKeysWith: { first, _ in first })
    }
}
