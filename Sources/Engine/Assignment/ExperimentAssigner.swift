import Foundation
import Spec

/// Assigns units to the arms of one experiment, statelessly and deterministically: the same
/// unit, context and allocation always give the same arm. Steps, in order (docs/spec.md):
/// status → targeting → global holdout → layer segment → traffic → arm by cumulative weights.
public struct ExperimentAssigner: Sendable {
    public let spec: ExperimentSpec
    public let allocation: Allocation
    /// The experiment's segment of its layer, if it has a layer.
    public let segment: LayerPlan.Segment?

    private let targeting: TargetingEvaluator
    private let armHash: UnitHash
    private let trafficHash: UnitHash
    private let holdoutHash: UnitHash?
    private let layerHash: UnitHash?
    /// Arms in spec order with their weights and cumulative upper bounds (normalised to sum 1).
    private let arms: [(key: String, weight: Double, upper: Double)]

    /// Prepares assignment of `spec` under `allocation`; `segment` comes from
    /// `LayerPlan.segments` over every experiment of the layer (see `AssignmentPlan`).
    public init(spec: ExperimentSpec, allocation: Allocation, segment: LayerPlan.Segment?) throws {
        self.spec = spec
        self.allocation = allocation
        self.segment = segment
        targeting = try TargetingEvaluator(spec.targeting)
        armHash = UnitHash(salt: spec.salt)
        trafficHash = UnitHash(salt: spec.salt + ".traffic")
        holdoutHash = spec.holdout.flatMap { $0.share > 0 ? UnitHash(salt: $0.salt) : nil }
        layerHash = spec.layer.map { UnitHash(salt: $0.salt) }
        let weights = spec.arms.map { max(0, allocation.weights[$0.key] ?? 0) }
        let total = weights.reduce(0, +)
        var cumulative = 0.0
        arms = zip(spec.arms, weights).map { arm, weight in
            cumulative += weight
            return (arm.key, total > 0 ? weight / total : 0, total > 0 ? cumulative / total : 0)
        }
    }

    /// The same experiment under another allocation.
    public func updating(_ allocation: Allocation) throws -> ExperimentAssigner {
        try ExperimentAssigner(spec: spec, allocation: allocation, segment: segment)
    }

    /// Assigns `unit`. `previousArm` is the arm stored for this unit (sticky mode): it is kept
    /// when the spec is sticky and the arm still has a positive weight. `now`, when given, is
    /// checked against the schedule.
    public func assign(unit: String, context: [String: AttributeValue] = [:], previousArm: String? = nil, now: Date? = nil) -> Assignment {
        let version = allocation.version
        guard spec.status == .running, now.map(spec.schedule.contains) ?? true else { return .excluded(.notRunning, version: version) }
        guard targeting.matches(context) else { return .excluded(.notTargeted, version: version) }
        if let holdoutHash, let holdout = spec.holdout, holdoutHash.bucket(unit) < holdout.share {
            return .excluded(.inHoldout, version: version)
        }
        if let layerHash, let segment, !segment.contains(layerHash.bucket(unit)) {
            return .excluded(.outsideLayerSegment, version: version)
        }
        if spec.traffic < 1, trafficHash.bucket(unit) >= spec.traffic {
            return .excluded(.notInTraffic, version: version)
        }
        if spec.sticky, let previousArm, let kept = arms.first(where: { $0.key == previousArm && $0.weight > 0 }) {
            return Assignment(arm: kept.key, exclusion: nil, propensity: kept.weight, allocationVersion: version, isSticky: true)
        }
        let bucket = armHash.bucket(unit)
        for arm in arms where bucket < arm.upper {
            return Assignment(arm: arm.key, exclusion: nil, propensity: arm.weight, allocationVersion: version)
        }
        // Rounding can leave the last upper bound a hair under 1: the last weighted arm takes it.
        guard let last = arms.last(where: { $0.weight > 0 }) else { return .excluded(.notInTraffic, version: version) }
        return Assignment(arm: last.key, exclusion: nil, propensity: last.weight, allocationVersion: version)
    }
}
