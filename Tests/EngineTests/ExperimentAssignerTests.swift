import Foundation
import Spec
import Testing

@testable import Engine

/// Exclusion reasons, targeting, sticky arms and propensities of single assignments.
@Suite struct ExperimentAssignerTests {
    static func assigner(_ spec: ExperimentSpec, weights: [String: Double]? = nil, version: Int64 = 3) throws -> ExperimentAssigner {
        let allocation = Allocation(version: version, weights: weights ?? spec.initialWeights, start: Date(timeIntervalSince1970: 0))
        return try ExperimentAssigner(spec: spec, allocation: allocation, segment: nil)
    }

    @Test func notRunningExperimentsAssignNobody() throws {
        let draft = try Self.assigner(AssignmentFixtures.spec("e", weights: [0.5, 0.5], status: .paused))
        #expect(draft.assign(unit: "u1") == .excluded(.notRunning, version: 3))
        var spec = AssignmentFixtures.spec("e", weights: [0.5, 0.5])
        spec.schedule = Schedule(start: Date(timeIntervalSince1970: 100), end: Date(timeIntervalSince1970: 200))
        let scheduled = try Self.assigner(spec)
        #expect(scheduled.assign(unit: "u1", now: Date(timeIntervalSince1970: 200)).exclusion == .notRunning)
        #expect(scheduled.assign(unit: "u1", now: Date(timeIntervalSince1970: 150)).arm != nil)
    }

    @Test func targetingIsEvaluatedFirst() throws {
        let rule = TargetingRule.all([
            .condition(TargetingCondition(attribute: "country", test: .oneOf([.text("DE"), .text("AT")]))),
            .condition(TargetingCondition(attribute: "age", test: .range(gt: nil, gte: 18, lt: 65, lte: nil))),
            .not(.condition(TargetingCondition(attribute: "app", test: .regex("^[0-4]\\.")))),
            .any([
                .condition(TargetingCondition(attribute: "employee", test: .equals(.bool(false)))),
                .condition(TargetingCondition(attribute: "employee", test: .exists(false))),
            ]),
        ])
        let assigner = try Self.assigner(AssignmentFixtures.spec("t", weights: [0.5, 0.5], targeting: rule))
        let adult: [String: AttributeValue] = ["country": .text("DE"), "age": .number(30), "app": .text("5.1")]
        #expect(assigner.assign(unit: "u", context: adult).arm != nil)
        #expect(assigner.assign(unit: "u", context: adult.merging(["employee": .bool(false)]) { $1 }).arm != nil)
        let cases: [[String: AttributeValue]] = [
            adult.merging(["country": .text("FR")]) { $1 },
            adult.merging(["age": .number(65)]) { $1 },  // lt 65 excludes 65
            adult.merging(["age": .text("30")]) { $1 },  // a number test never matches text
            adult.merging(["app": .text("4.9")]) { $1 },
            adult.merging(["employee": .bool(true)]) { $1 },
            [:],
        ]
        for context in cases {
            #expect(assigner.assign(unit: "u", context: context) == .excluded(.notTargeted, version: 3), "\(context)")
        }
    }

    @Test func propensityIsTheArmWeightAndVersionIsCarried() throws {
        let assigner = try Self.assigner(AssignmentFixtures.spec("p", weights: [0.5, 0.5]), weights: ["arm0": 0.2, "arm1": 0.8], version: 9)
        for unit in ["a", "b", "c", "d", "e"] {
            let assignment = assigner.assign(unit: unit)
            #expect(assignment.allocationVersion == 9)
            #expect(assignment.propensity == (assignment.arm == "arm0" ? 0.2 : 0.8))
        }
    }

    @Test func stickyUnitsKeepTheirArmWhileItHasWeight() throws {
        let spec = AssignmentFixtures.spec("s", weights: [0.5, 0.5])
        let onlySecond = try Self.assigner(spec, weights: ["arm0": 0, "arm1": 1])
        #expect(onlySecond.assign(unit: "u").arm == "arm1")
        // arm0 has no weight any more: the stored arm is not kept.
        #expect(onlySecond.assign(unit: "u", previousArm: "arm0").arm == "arm1")
        let shifted = try Self.assigner(spec, weights: ["arm0": 0.01, "arm1": 0.99])
        let kept = shifted.assign(unit: "u", previousArm: "arm0")
        #expect(kept.arm == "arm0" && kept.isSticky && kept.propensity == 0.01)
        #expect(shifted.assign(unit: "u", previousArm: "retired").isSticky == false)
        var notSticky = spec
        notSticky.sticky = false
        #expect(try Self.assigner(notSticky, weights: ["arm0": 0, "arm1": 1]).assign(unit: "u", previousArm: "arm0").arm == "arm1")
    }

    @Test func trafficShareIsRespected() throws {
        let assigner = try Self.assigner(AssignmentFixtures.spec("traffic", weights: [0.5, 0.5], traffic: 0.25))
        let entered = (0..<40_000).filter { assigner.assign(unit: "u\($0)").arm != nil }.count
        // Binomial(40000, 0.25): sd = sqrt(40000·0.25·0.75) ≈ 86.6; allow 5 sd = 433.
        #expect(abs(entered - 10_000) < 433)
    }

    @Test func bucketsFollowTheDocumentedFormula() {
        // From docs/assignment-vectors.csv (reference libxxhash): user-1 under the salt
        // homepage-als-vs-popularity has hash f1414d8f8a88a89f and bucket 0.942402694267488.
        let hash = UnitHash(salt: "homepage-als-vs-popularity")
        #expect(hash.hash("user-1") == 0xf141_4d8f_8a88_a89f)
        let expected: UInt64 = 0xf141_4d8f_8a88_a89f
        #expect(UnitHash.bucket(of: expected) == Double(expected >> 11) / 9_007_199_254_740_992)  // 2^53
        #expect(hash.bucket("user-1") == 0.942402694267488)
    }
}
