import Foundation
import Spec

/// Assigns units to the arms of one experiment, statelessly and deterministically: the same
/// unit, context and allocation always give the same arm. Steps, in order (docs/spec.md):
/// status → targeting → global holdout → layer segment → traffic → sticky → arm by cumulative weights.
public struct ExperimentAssigner: Sendable {
    public let spec: ExperimentSpec
    public let allocation: Allocation
    /// The experiment's segment of its layer, if it has a layer.
    public let segment: LayerPlan.Segment?

    // Everything the hot path reads, flattened out of the spec once.
    private let isRunning: Bool
    private let isSticky: Bool
    private let schedule: Schedule
    private let targeting: TargetingEvaluator
    private let armHash: UnitHash
    private let traffic: Double
    private let trafficHash: UnitHash
    private let holdoutShare: Double
    private let holdoutHash: UnitHash
    private let layerHash: UnitHash?
    private let segmentStart: Double
    private let segmentEnd: Double
    /// Arms in spec order, their normalised weights and cumulative upper bounds.
    private let keys: [String]
    private let weights: [Double]
    private let uppers: [Double]

    /// Prepares assignment of `spec` under `allocation`; `segment` comes from
    /// `LayerPlan.segments` over every experiment of the layer (see `AssignmentPlan`).
    public init(spec: ExperimentSpec, allocation: Allocation, segment: LayerPlan.Segment?) throws {
        self.spec = spec
        self.allocation = allocation
        self.segment = segment
        isRunning = spec.status == .running
        isSticky = spec.sticky
        schedule = spec.schedule
        targeting = try TargetingEvaluator(spec.targeting)
        armHash = UnitHash(salt: spec.salt)
        traffic = spec.traffic
        trafficHash = UnitHash(salt: spec.salt + ".traffic")
        holdoutShare = spec.holdout?.share ?? 0
        holdoutHash = UnitHash(salt: spec.holdout?.salt ?? HoldoutSpec.defaultSalt)
        layerHash = spec.layer.map { UnitHash(salt: $0.salt) }
        segmentStart = segment?.start ?? 0
        segmentEnd = segment?.end ?? 1
        let raw = spec.arms.map { max(0, allocation.weights[$0.key] ?? 0) }
        let total = raw.reduce(0, +)
        var cumulative = 0.0
        keys = spec.arms.map(\.key)
        weights = raw.map { total > 0 ? $0 / total : 0 }
        uppers = raw.map { weight in
            cumulative += weight
            return total > 0 ? cumulative / total : 0
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
        guard isRunning, now.map(schedule.contains) ?? true else { return .excluded(.notRunning, version: version) }
        guard targeting.matches(context) else { return .excluded(.notTargeted, version: version) }
        if holdoutShare > 0, holdoutHash.bucket(unit) < holdoutShare {
            return .excluded(.inHoldout, version: version)
        }
        if let layerHash {
            let bucket = layerHash.bucket(unit)
            if bucket < segmentStart || bucket >= segmentEnd { return .excluded(.outsideLayerSegment, version: version) }
        }
        if traffic < 1, trafficHash.bucket(unit) >= traffic {
            return .excluded(.notInTraffic, version: version)
        }
        if isSticky, let previousArm, let index = keys.firstIndex(of: previousArm), weights[index] > 0 {
            return Assignment(arm: keys[index], exclusion: nil, propensity: weights[index], allocationVersion: version, isSticky: true)
        }
        let bucket = armHash.bucket(unit)
        for index in uppers.indices where bucket < uppers[index] {
            return Assignment(arm: keys[index], exclusion: nil, propensity: weights[index], allocationVersion: version)
        }
        // Rounding can leave the last upper bound a hair under 1: the last weighted arm takes it.
        guard let last = weights.lastIndex(where: { $0 > 0 }) else { return .excluded(.notInTraffic, version: version) }
        return Assignment(arm: keys[last], exclusion: nil, propensity: weights[last], allocationVersion: version)
    }
}
