import Foundation
import Spec

/// Assigners for a set of experiments, with layer segments computed over all of them so
/// that no unit is in two experiments of one layer.
public struct AssignmentPlan: Sendable {
    /// Assigners by experiment name.
    public let assigners: [String: ExperimentAssigner]

    /// Builds assigners for `specs`; `allocations` gives each experiment's allocation in force
    /// (by name), defaulting to version 0 with the spec's initial weights from `start`.
    public init(specs: [ExperimentSpec], allocations: [String: Allocation] = [:], start: Date = Date(timeIntervalSince1970: 0)) throws {
        let segments = LayerPlan.segments(of: specs)
        var assigners: [String: ExperimentAssigner] = [:]
        for spec in specs {
            let allocation = allocations[spec.name] ?? Allocation(version: 0, weights: spec.initialWeights, start: start)
            let segment = spec.layer.flatMap { layer in segments[layer.name]?.first { $0.experiment == spec.name } }
            assigners[spec.name] = try ExperimentAssigner(spec: spec, allocation: allocation, segment: segment)
        }
        self.assigners = assigners
    }

    /// Assigns `unit` in every experiment, by experiment name.
    public func assignAll(unit: String, context: [String: AttributeValue] = [:]) -> [String: Assignment] {
        assigners.mapValues { $0.assign(unit: unit, context: context) }
    }
}
