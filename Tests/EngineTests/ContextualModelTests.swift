import Foundation
import Spec
import Testing

@testable import Engine

/// The served contextual model: the spec's features become the documented vector, and a
/// seeded linear Thompson gives the same choice for the same request id and model version.
struct ContextualModelTests {
    static func spec(policy: BanditPolicyName) -> ExperimentSpec {
        var spec = ExperimentSpec(
            name: "ctx",
            arms: [ArmSpec(key: "a", strategy: "popularity", weight: 0.5), ArmSpec(key: "b", strategy: "popularity", weight: 0.5)],
            metrics: MetricsSpec(primary: MetricName(.ctr))
        )
        spec.allocation = AllocationSpec(
            type: .bandit,
            bandit: BanditSpec(
                policy: policy,
                reward: MetricName(.ctr),
                burnIn: 0,
                minWeight: 0,
                seed: 5,
                params: ["features": .list([.text("tenure"), .text("device=mobile"), .text("device=tablet")])]
            )
        )
        return spec
    }

    @Test("features: intercept, the number, then one-hot categories (an undeclared category is all zeros)")
    func featureVector() throws {
        let layout = try #require(FeatureLayout(spec: Self.spec(policy: .linucb)))
        #expect(layout.names == ["intercept", "tenure", "device=mobile", "device=tablet"])
        #expect(try layout.vector(from: ["tenure": .number(3), "device": .text("tablet")]) == [1, 3, 0, 1])
        #expect(try layout.vector(from: ["tenure": .bool(true), "device": .text("desktop")]) == [1, 1, 0, 0])
        #expect(throws: FeatureError(attribute: "tenure", problem: .missing)) { try layout.vector(from: ["device": .text("mobile")]) }
        #expect(throws: FeatureError(attribute: "tenure", problem: .notNumber)) {
            try layout.vector(from: ["tenure": .text("long"), "device": .text("mobile")])
        }
        #expect(throws: FeatureError(attribute: "device", problem: .notText)) {
            try layout.vector(from: ["tenure": .number(1), "device": .number(2)])
        }
    }

    @Test("linear Thompson: the same request id and model version always choose the same arm; other ids vary")
    func seededChoice() throws {
        let model = try ContextualModel(spec: Self.spec(policy: .linearThompson), version: 3)
        let features: [Double] = [1, 2, 1, 0]
        var arms: Set<String> = []
        for _ in 0..<64 {
            let id = UUID()
            let first = try model.choose(features: features, requestID: id)
            for _ in 0..<3 { #expect(try model.choose(features: features, requestID: id) == first) }
            arms.insert(first.arm)
        }
        // Under the prior both arms are equally likely: 64 ids all choosing one arm has chance 2⁻⁶³.
        #expect(arms == ["a", "b"])
        let id = UUID()
        let other = try ContextualModel(spec: Self.spec(policy: .linearThompson), version: 4)
        #expect(ContextualModel.seed(spec: 5, requestID: id, version: 3) != ContextualModel.seed(spec: 5, requestID: id, version: 4))
        _ = other
    }
}
