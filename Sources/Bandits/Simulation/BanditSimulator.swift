import Stats

/// Measures a policy's regret on simulated arms with batched updates.
///
/// N decisions are made in batches of B. The first batch uses the initial (equal) weights;
/// after each batch the policy (then `constrain`) turns all statistics so far into the
/// weights for the next batch. Regret is the pseudo-regret Σ_decisions (μ* − μ_chosen).
///
/// Fast path, same in distribution as one decision at a time: within a batch the weights
/// are fixed, so the B choices are i.i.d. categorical(w) and the per-arm counts are
/// Multinomial(B, w); given its count n_a, arm a's rewards are n_a i.i.d. draws, whose
/// sufficient statistics are drawn directly from their exact law
/// (`BanditEnvironment.rewardStatistics`). The policy sees only (count, Σx, Σx²) and the
/// regret only counts, so every quantity has the same joint law as in the sequential run.
public enum BanditSimulator {
    /// The simulation's size and randomness.
    public struct Settings: Sendable, Hashable, Codable {
        /// Total decisions N.
        public var decisions: Int
        /// Decisions between policy updates B.
        public var batchSize: Int
        /// Number of independent runs averaged.
        public var seeds: Int
        /// Seed of the first run; run s uses `firstSeed + s`.
        public var firstSeed: UInt64
        /// Constraints applied after the policy at every update.
        public var constraints: AllocationConstraints

        /// Creates settings, checking sizes are positive.
        public init(
            decisions: Int,
            batchSize: Int,
            seeds: Int,
            firstSeed: UInt64 = 0,
            constraints: AllocationConstraints = .none
        ) throws(BanditsError) {
            try require(Double(decisions), "decisions", "≥ 1") { $0 >= 1 }
            try require(Double(batchSize), "batch size", "≥ 1") { $0 >= 1 }
            try require(Double(seeds), "seeds", "≥ 1") { $0 >= 1 }
            self.decisions = decisions
            self.batchSize = batchSize
            self.seeds = seeds
            self.firstSeed = firstSeed
            self.constraints = constraints
        }
    }

    /// The mean regret curve of `policy` over `settings.seeds` runs.
    public static func run(
        _ policy: PolicyDescription,
        in environment: BanditEnvironment,
        settings: Settings
    ) throws(BanditsError) -> RegretCurve {
        let implementation = try AllocationPolicies.make(policy)
        var decisions: [Int] = []
        var total: [Double] = []
        var finals: [Double] = []
        for s in 0..<settings.seeds {
            let run = try runOnce(implementation, in: environment, settings: settings, seed: settings.firstSeed &+ UInt64(s))
            if total.isEmpty {
                decisions = run.decisions
                total = run.regret
            } else {
                for i in total.indices { total[i] += run.regret[i] }
            }
            finals.append(run.regret.last ?? 0)
        }
        let n = Double(settings.seeds)
        return RegretCurve(policy: policy.name, decisions: decisions, meanRegret: total.map { $0 / n }, finalRegrets: finals)
    }

    /// One run: cumulative regret after each batch.
    static func runOnce(
        _ policy: any AllocationPolicy,
        in environment: BanditEnvironment,
        settings: Settings,
        seed: UInt64
    ) throws(BanditsError) -> (decisions: [Int], regret: [Double]) {
        var generator = SplitMix64(seed: seed)
        let arms = environment.armKeys
        let best = environment.means.max() ?? 0
        var statistics = arms.map { ArmStatistics(arm: $0, reward: .zero) }
        var weights = try constrain(
            proposed: settings.constraints.initialWeights ?? .equal(arms: arms),
            previous: nil,
            statistics: statistics,
            constraints: settings.constraints
        )
        var made = 0
        var regret = 0.0
        var points: [Int] = []
        var curve: [Double] = []
        var update = 0
        while made < settings.decisions {
            let size = min(settings.batchSize, settings.decisions - made)
            let counts = DiscreteVariates.multinomial(trials: size, weights: weights.values, using: &generator)
            for (arm, n) in counts.enumerated() where n > 0 {
                statistics[arm].reward = statistics[arm].reward + environment.rewardStatistics(arm: arm, units: n, using: &generator)
                regret += Double(n) * (best - environment.means[arm])
            }
            made += size
            points.append(made)
            curve.append(regret)
            guard made < settings.decisions else { break }
            let proposed = try policy.weights(for: statistics, update: update, using: &generator)
            weights = try constrain(proposed: proposed, previous: weights, statistics: statistics, constraints: settings.constraints)
            update += 1
        }
        return (points, curve)
    }
}
