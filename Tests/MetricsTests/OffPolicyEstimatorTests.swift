import Testing

@testable import Metrics

/// Hand-computed off-policy estimates on four logged decisions over two actions.
struct OffPolicyEstimatorTests {
    /// Weights w = π/μ: 0.8/0.5 = 1.6, 0.2/0.5 = 0.4, 0.5/0.25 = 2, 0.5/0.75 = 2/3.
    let logs = [
        LoggedDecision(action: 0, reward: 1, loggingPropensity: 0.5, candidateDistribution: [0.8, 0.2]),
        LoggedDecision(action: 1, reward: 0.5, loggingPropensity: 0.5, candidateDistribution: [0.8, 0.2]),
        LoggedDecision(action: 0, reward: 0, loggingPropensity: 0.25, candidateDistribution: [0.5, 0.5]),
        LoggedDecision(action: 1, reward: 1, loggingPropensity: 0.75, candidateDistribution: [0.5, 0.5]),
    ]

    func estimates(_ estimators: [OffPolicyEstimator]) throws -> [OffPolicyEstimate] {
        try OffPolicyEvaluation.estimate(estimators, logs: logs, actionCount: 2, options: .init(bootstrapReplicates: 200, seed: 7))
    }

    @Test func pointEstimatesMatchHandArithmetic() throws {
        let results = try estimates([
            .inversePropensity(), .inversePropensity(clip: 1.5), .selfNormalizedInversePropensity, .directMethod, .doublyRobust,
        ])
        let values = results.map(\.value)
        // IPS = (1.6·1 + 0.4·0.5 + 2·0 + 2/3·1) / 4 = 2.466667 / 4 = 0.616667
        #expect(abs(values[0] - 2.4666666666666667 / 4) < 1e-12)
        // clipped at 1.5: (1.5·1 + 0.4·0.5 + 0 + 2/3) / 4 = 2.366667 / 4 = 0.591667
        #expect(abs(values[1] - 2.3666666666666667 / 4) < 1e-12)
        // SNIPS = 2.466667 / (1.6 + 0.4 + 2 + 2/3 = 4.666667) = 0.528571
        #expect(abs(values[2] - 2.4666666666666667 / 4.666666666666667) < 1e-12)
        // Per-action means: q̂(0) = (1 + 0)/2 = 0.5, q̂(1) = (0.5 + 1)/2 = 0.75.
        // DM rows: 0.8·0.5 + 0.2·0.75 = 0.55 (twice), 0.5·0.5 + 0.5·0.75 = 0.625 (twice) → 0.5875
        #expect(abs(values[3] - 0.5875) < 1e-12)
        // DR = DM + mean w·(r − q̂): (1.6·0.5 + 0.4·(−0.25) + 2·(−0.5) + 2/3·0.25) / 4 = −0.133333/4 → 0.554167
        #expect(abs(values[4] - (0.5875 - 0.13333333333333333 / 4)) < 1e-12)
    }

    @Test func effectiveSampleSizeAndIntervals() throws {
        let results = try estimates([.inversePropensity(), .inversePropensity(clip: 1.5), .doublyRobust])
        // ESS = (Σw)² / Σw² = 4.666667² / (2.56 + 0.16 + 4 + 0.444444) = 21.777778 / 7.164444 = 3.039702
        #expect(abs(results[0].effectiveSampleSize - 3.0397022332506207) < 1e-12)
        // Clipped weights 1.5, 0.4, 1.5, 2/3: (4.066667)² / (2.25 + 0.16 + 2.25 + 0.444444) = 16.537778 / 5.104444 = 3.239878
        #expect(abs(results[1].effectiveSampleSize - 16.537777777777777 / 5.104444444444445) < 1e-12)
        for result in results {
            #expect(result.interval.contains(result.value))
            #expect(result.interval.upperBound > result.interval.lowerBound)
        }
        // Same seed, same replicates.
        #expect(try estimates([.inversePropensity(), .inversePropensity(clip: 1.5), .doublyRobust]) == results)
    }

    @Test func ridgeModelRecoversALinearReward() throws {
        // Action 0 pays 1 + 2x, action 1 pays 3 − x, exactly; the candidate always picks action 1.
        // DM = mean over contexts of (3 − x) = 3 − mean(x) = 3 − 0.45 = 2.55 for x = 0, 0.1, …, 0.9.
        let logs = (0..<20).map { index -> LoggedDecision in
            let x = Double(index % 10) / 10
            let action = index % 2
            let reward = action == 0 ? 1 + 2 * x : 3 - x
            return LoggedDecision(context: [x], action: action, reward: reward, loggingPropensity: 0.5, candidateDistribution: [0, 1])
        }
        let options = OffPolicyEvaluationOptions(rewardModel: .ridge(lambda: 1e-9), bootstrapReplicates: 10)
        let result = try OffPolicyEvaluation.estimate([.directMethod], logs: logs, actionCount: 2, options: options)
        #expect(abs(result[0].value - 2.55) < 1e-6)
    }

    @Test func warnsWhenTheCandidateLeavesTheLoggedSupport() throws {
        // Action 2 is never logged, yet the candidate gives it 0.5 in every context; decision 1 had
        // propensity 0.001 for an action the candidate plays with probability 0.5.
        let logs = [
            LoggedDecision(action: 0, reward: 1, loggingPropensity: 0.6, candidateDistribution: [0.5, 0, 0.5]),
            LoggedDecision(action: 1, reward: 0, loggingPropensity: 0.001, candidateDistribution: [0, 0.5, 0.5]),
        ]
        let result = try OffPolicyEvaluation.estimate([.inversePropensity()], logs: logs, actionCount: 3, options: .init(bootstrapReplicates: 5))
        #expect(result[0].warnings.contains(.unloggedActions(actions: [2], candidateMass: 0.5)))
        #expect(result[0].warnings.contains(.nearZeroPropensity(decisions: 1, smallestPropensity: 0.001, threshold: 0.01)))
        // Weights 0.5/0.6 = 0.8333 and 500: ESS = 500.8333² / (0.6944 + 250000) ≈ 1.0033, above 5% of 2 logged
        // decisions (0.1), so no effective-sample-size warning.
        #expect(result[0].warnings.contains { if case .smallEffectiveSampleSize = $0 { true } else { false } } == false)
        let agreeing = [
            LoggedDecision(action: 0, reward: 1, loggingPropensity: 0.5, candidateDistribution: [0.5, 0.5]),
            LoggedDecision(action: 1, reward: 0, loggingPropensity: 0.5, candidateDistribution: [0.5, 0.5]),
        ]
        #expect(
            try OffPolicyEvaluation.estimate([.doublyRobust], logs: agreeing, actionCount: 2, options: .init(bootstrapReplicates: 5))[0].warnings
                == []
        )
    }

    @Test func rejectsLogsItCannotUse() {
        let zero = [LoggedDecision(action: 0, reward: 1, loggingPropensity: 0, candidateProbability: 1)]
        #expect(throws: OffPolicyInputError(index: 0, message: "logging propensity 0.0 is not in (0, 1]; log the probability of the action taken")) {
            try OffPolicyEvaluation.estimate([.inversePropensity()], logs: zero, actionCount: 1)
        }
        let noDistribution = [LoggedDecision(action: 0, reward: 1, loggingPropensity: 1, candidateProbability: 1)]
        #expect(throws: OffPolicyInputError.self) { try OffPolicyEvaluation.estimate([.directMethod], logs: noDistribution, actionCount: 1) }
        #expect(throws: OffPolicyInputError.self) { try OffPolicyEvaluation.estimate([.inversePropensity()], logs: [], actionCount: 1) }
        let fine = [LoggedDecision(action: 0, reward: 1, loggingPropensity: 1, candidateProbability: 1)]
        #expect(throws: OffPolicyInputError.self) {
            try OffPolicyEvaluation.estimate([.inversePropensity()], logs: fine, actionCount: 1, options: .init(confidence: 1))
        }
        let outOfRange = [LoggedDecision(action: 3, reward: 1, loggingPropensity: 1, candidateProbability: 1)]
        #expect(throws: OffPolicyInputError.self) { try OffPolicyEvaluation.estimate([.inversePropensity()], logs: outOfRange, actionCount: 2) }
    }
}
