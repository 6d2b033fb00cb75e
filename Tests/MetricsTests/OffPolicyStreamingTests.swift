import Stats
import Testing

@testable import Metrics

/// The streaming evaluator against the batch one on the same logs, and its own contracts.
struct OffPolicyStreamingTests {
    static let estimators: [OffPolicyEstimator] = [
        .inversePropensity(), .inversePropensity(clip: 3), .selfNormalizedInversePropensity, .directMethod, .doublyRobust,
    ]

    /// Runs both passes over `logs` in order.
    static func stream(
        _ logs: [LoggedDecision],
        estimators: [OffPolicyEstimator] = estimators,
        actionCount: Int = 4,
        options: OffPolicyEvaluationOptions,
        interval: StreamingIntervalMethod
    ) throws -> [OffPolicyEstimate] {
        var evaluation = try StreamingOffPolicyEvaluation(
            estimators,
            actionCount: actionCount,
            featureCount: logs[0].context.count,
            options: options,
            interval: interval
        )
        if evaluation.needsRewardModelPass {
            for decision in logs { try evaluation.observeForRewardModel(decision) }
        }
        for decision in logs { try evaluation.observe(decision) }
        return try evaluation.estimates()
    }

    /// Same method, same numbers: the point estimates, effective sample sizes and warnings of the
    /// streaming form equal the batch evaluator's, for both reward models (the sums are taken in the
    /// same order, so equality is exact).
    @Test(arguments: [RewardModelKind.perActionMean, .ridge(lambda: 0.5)])
    func pointEstimatesEqualTheBatchEvaluator(model: RewardModelKind) throws {
        let logs = OffPolicyCoverageTests.simulateLogs(count: 700, seed: 42)
        let options = OffPolicyEvaluationOptions(rewardModel: model, bootstrapReplicates: 5, seed: 1)
        let batch = try OffPolicyEvaluation.estimate(Self.estimators, logs: logs, actionCount: 4, options: options)
        for interval in [StreamingIntervalMethod.normal, .poissonBootstrap(replicates: 20)] {
            let streamed = try Self.stream(logs, options: options, interval: interval)
            #expect(streamed.map(\.value) == batch.map(\.value))
            #expect(streamed.map(\.effectiveSampleSize) == batch.map(\.effectiveSampleSize))
            #expect(streamed.map(\.warnings) == batch.map(\.warnings))
        }
    }

    /// Support warnings come out the same as the batch check: action 3 never logged while the
    /// candidate puts half its mass there, and one decision with propensity 0.005 < 0.01 that the
    /// candidate favours (π = 0.5 > 0.005).
    @Test func supportWarningsMatchTheBatchCheck() throws {
        let candidate = [0.25, 0.25, 0.0, 0.5]
        let logs = [
            LoggedDecision(action: 0, reward: 1, loggingPropensity: 0.5, candidateDistribution: candidate),
            LoggedDecision(action: 1, reward: 0, loggingPropensity: 0.005, candidateDistribution: [0.0, 0.5, 0.0, 0.5]),
            LoggedDecision(action: 2, reward: 1, loggingPropensity: 0.495, candidateDistribution: candidate),
        ]
        let options = OffPolicyEvaluationOptions(bootstrapReplicates: 3)
        let batch = try OffPolicyEvaluation.estimate(Self.estimators, logs: logs, actionCount: 4, options: options)
        let streamed = try Self.stream(logs, options: options, interval: .normal)
        #expect(streamed.map(\.warnings) == batch.map(\.warnings))
        #expect(streamed[0].warnings.contains(.unloggedActions(actions: [3], candidateMass: 0.5)))
        #expect(streamed[0].warnings.contains(.nearZeroPropensity(decisions: 1, smallestPropensity: 0.005, threshold: 0.01)))
    }

    /// IPS's normal interval by hand. Contributions w·r: (1/0.5)·1 = 2, 2·0 = 0, (1/1)·1 = 1, 1·1 = 1;
    /// mean 1; sample variance ((2−1)² + (0−1)² + 0 + 0) / 3 = 2/3; standard error √(2/3 / 4) = √(1/6)
    /// = 0.408248; 95% interval 1 ± 1.959964 · 0.408248 = [0.199848, 1.800152].
    @Test func ipsNormalIntervalByHand() throws {
        let logs = [
            LoggedDecision(action: 0, reward: 1, loggingPropensity: 0.5, candidateProbability: 1),
            LoggedDecision(action: 0, reward: 0, loggingPropensity: 0.5, candidateProbability: 1),
            LoggedDecision(action: 0, reward: 1, loggingPropensity: 1, candidateProbability: 1),
            LoggedDecision(action: 0, reward: 1, loggingPropensity: 1, candidateProbability: 1),
        ]
        let result = try Self.stream(logs, estimators: [.inversePropensity()], actionCount: 1, options: .init(), interval: .normal)
        #expect(result[0].value == 1)
        #expect(abs(result[0].interval.lowerBound - 0.199848) < 1e-6)
        #expect(abs(result[0].interval.upperBound - 1.800152) < 1e-6)
    }

    /// The bootstrap weights hang on each decision's key, not on arrival order: the second pass in
    /// reverse order gives the same estimates and intervals (to rounding of the sums).
    @Test func poissonBootstrapDoesNotDependOnOrder() throws {
        let logs = OffPolicyCoverageTests.simulateLogs(count: 300, seed: 7)
        let options = OffPolicyEvaluationOptions(rewardModel: .ridge(lambda: 0.1), seed: 3)
        let inOrder = try Self.stream(logs, options: options, interval: .poissonBootstrap(replicates: 30))
        var evaluation = try StreamingOffPolicyEvaluation(
            Self.estimators,
            actionCount: 4,
            featureCount: 3,
            options: options,
            interval: .poissonBootstrap(replicates: 30)
        )
        for (index, decision) in logs.enumerated() { try evaluation.observeForRewardModel(decision, key: UInt64(index)) }
        for (index, decision) in logs.enumerated().reversed() { try evaluation.observe(decision, key: UInt64(index)) }
        let reversed = try evaluation.estimates()
        for (a, b) in zip(inOrder, reversed) {
            #expect(abs(a.value - b.value) < 1e-12)
            #expect(abs(a.interval.lowerBound - b.interval.lowerBound) < 1e-12)
            #expect(abs(a.interval.upperBound - b.interval.upperBound) < 1e-12)
        }
    }

    /// DM and DR without the model pass, and passes of different lengths, are refused.
    @Test func refusesMissingOrMismatchedPasses() throws {
        let logs = OffPolicyCoverageTests.simulateLogs(count: 10, seed: 1)
        var missing = try StreamingOffPolicyEvaluation([.doublyRobust], actionCount: 4, featureCount: 3, interval: .normal)
        #expect(throws: OffPolicyInputError.self) { try missing.observe(logs[0]) }

        var short = try StreamingOffPolicyEvaluation([.doublyRobust], actionCount: 4, featureCount: 3, interval: .normal)
        for decision in logs { try short.observeForRewardModel(decision) }
        for decision in logs.dropLast() { try short.observe(decision) }
        #expect(throws: OffPolicyInputError.self) { try short.estimates() }
    }

    /// A bad decision is named by its position in the pass.
    @Test func badDecisionIsNamedByPosition() throws {
        var evaluation = try StreamingOffPolicyEvaluation([.inversePropensity()], actionCount: 2, featureCount: 0, interval: .normal)
        try evaluation.observe(LoggedDecision(action: 0, reward: 1, loggingPropensity: 0.5, candidateProbability: 1))
        #expect(throws: OffPolicyInputError(index: 1, message: "action 2 is outside 0..<2")) {
            try evaluation.observe(LoggedDecision(action: 2, reward: 1, loggingPropensity: 0.5, candidateProbability: 1))
        }
    }
}
