import Bandits
import Spec
import Stats
import Testing

@testable import Storage

/// How a spec's bandit section becomes a Bandits policy and constraints, and how evaluator
/// statistics become the policy's input, without a database.
@Suite struct AllocationSpecMappingTests {
    func bandit(
        _ policy: BanditPolicyName,
        _ params: [String: Spec.ParameterValue] = [:],
        maxChange: Double = 1,
        controlShare: Double = 0
    )
        -> BanditSpec
    {
        BanditSpec(
            policy: policy,
            reward: MetricName(.conversion),
            burnIn: 50,
            minWeight: 0.05,
            maxChange: maxChange,
            controlShare: controlShare,
            params: params
        )
    }

    let conversion = RewardMetric(name: MetricName(.conversion))
    let ndcg = RewardMetric(name: MetricName(.ndcg, k: 10))

    @Test func parametersComeFromTheSpecElseItsDocumentedDefaults() {
        #expect(bandit(.epsilonGreedy, ["epsilon": .real(0.25)]).policyDescription(for: conversion) == .epsilonGreedy(epsilon: 0.25, decay: .none))
        #expect(bandit(.epsilonGreedy).policyDescription(for: conversion) == .epsilonGreedy(epsilon: 0.1, decay: .none))
        // The spec documents exploration √2 and temperature 0.1 (BanditPolicyName.parameters).
        #expect(bandit(.ucb1).policyDescription(for: conversion) == .ucb1(exploration: 2.0.squareRoot()))
        #expect(bandit(.ucb1, ["exploration": .integer(1)]).policyDescription(for: conversion) == .ucb1(exploration: 1))
        #expect(bandit(.softmax).policyDescription(for: conversion) == .softmax(temperature: 0.1))
        #expect(
            bandit(.thompson, ["prior_alpha": .real(2), "prior_beta": .integer(30)]).policyDescription(for: conversion)
                == .thompson(.bernoulli(priorAlpha: 2, priorBeta: 30))
        )
        #expect(
            bandit(.topTwoThompson).policyDescription(for: ndcg) == .topTwoThompson(.normal(priorMean: 0, priorStandardDeviation: 1), beta: 0.5)
        )
        #expect(bandit(.linucb).policyDescription(for: conversion) == nil)
        #expect(bandit(.linearThompson).policyDescription(for: conversion) == nil)
    }

    @Test func constraintsFollowTheSpec() {
        let arms = [ArmSpec(key: "ctl", strategy: "popularity", isControl: true, weight: 2), ArmSpec(key: "new", strategy: "als", weight: 6)]
        let free = bandit(.thompson).constraints(arms: arms)
        #expect(free.burnInUnits == 50 && free.floor == 0.05)
        #expect(free.maxChange == nil && free.control == nil)
        // Initial weights 2 : 6 normalised.
        #expect(free.initialWeights?.values == [0.25, 0.75])
        let limited = bandit(.thompson, maxChange: 0.1, controlShare: 0.3).constraints(arms: arms)
        #expect(limited.maxChange == 0.1)
        #expect(limited.control == AllocationConstraints.ReservedShare(arm: "ctl", share: 0.3))
    }

    @Test func evaluatorStatisticsBecomeRewards() {
        // Conversion: successes over units, unchanged.
        let units = SufficientStatistics(count: 10, sum: 3, sumOfSquares: 3)
        #expect(conversion.armStatistics(arm: "a", units).reward == units)
        #expect(conversion.rewardModel(priorAlpha: 1, priorBeta: 1) == .bernoulli(priorAlpha: 1, priorBeta: 1))
        #expect(
            RewardMetric(name: MetricName(.revenuePerUnit)).rewardModel(priorAlpha: 1, priorBeta: 1)
                == .normal(priorMean: 0, priorStandardDeviation: 1e6)
        )
        // A ratio with no impressions gives an empty arm, not a division by zero.
        let empty = SufficientStatistics(count: 0, sum: 0, sumOfSquares: 0, denominatorSum: 0, denominatorSumOfSquares: 0, crossProductSum: 0)
        #expect(ndcg.armStatistics(arm: "a", empty).reward == .zero)
        // Two units, x = (1, 1), y = (2, 1): R = 2/3, z = (4/9, 8/9) (AllocationUpdaterTests works it out):
        // Σz = 4/3, Σz² = 16/81 + 64/81 = 80/81.
        let ratio = SufficientStatistics(count: 2, sum: 2, sumOfSquares: 2, denominatorSum: 3, denominatorSumOfSquares: 5, crossProductSum: 3)
        let z = ndcg.armStatistics(arm: "a", ratio).reward
        #expect(z.count == 2 && abs(z.sum - 4.0 / 3) < 1e-12 && abs(z.sumOfSquares - 80.0 / 81) < 1e-12)
        #expect(RewardMetric(name: MetricName(.recall, k: 5)).sqlName == nil)
        #expect(RewardMetric(name: MetricName(.hit, k: 5)).sqlName == "hit@k")
    }

    @Test func seedsDifferPerVersionAndRepeatPerVersion() {
        #expect(AllocationUpdater.seed(spec: 7, allocationVersion: 2) == AllocationUpdater.seed(spec: 7, allocationVersion: 2))
        #expect(AllocationUpdater.seed(spec: 7, allocationVersion: 2) != AllocationUpdater.seed(spec: 7, allocationVersion: 3))
        // 7 xor (2 · 0x9E3779B97F4A7C15 mod 2⁶⁴) = 7 xor 0x3C6EF372FE94F82A.
        #expect(AllocationUpdater.seed(spec: 7, allocationVersion: 2) == 0x3C6E_F372_FE94_F82D)
        // Stored weights: reordered to the arms and renormalised; nil when the arms differ.
        #expect(AllocationUpdater.weights(["b": 3, "a": 1], arms: ["a", "b"])?.values == [0.25, 0.75])
        #expect(AllocationUpdater.weights(["a": 1], arms: ["a", "b"]) == nil)
    }
}
