import Foundation

/// A design of simulated two-arm experiments for calibrating estimators under adaptive
/// allocation: how units arrive per period, how the allocator moves their weights, how the
/// base rate drifts and what the true lift is.
public struct CalibrationScenario: Sendable, Hashable {
    /// What each unit yields.
    public enum Outcome: Sendable, Hashable {
        /// A 0/1 conversion with the given base rate (a proportion).
        case conversion(baseRate: Double)
        /// Clicks over impressions (a ratio): each unit sees 1 + Poisson(1) lists and
        /// clicks each with the given probability.
        case ctr(clickRate: Double)
        /// NDCG@10 per impression averaged over impressions (a ratio): an impression is
        /// relevant with the given probability, at a uniform rank in 1…10.
        case ndcg(relevantRate: Double)
        /// Revenue per unit (a mean with a heavy tail): a purchase with the given
        /// probability, of log-normal value (μ = 3, σ = 1.2).
        case revenue(purchaseRate: Double)

        /// How the evaluator summarises the outcome.
        public var kind: MetricKind {
            switch self {
            case .conversion: .proportion
            case .ctr, .ndcg: .ratio
            case .revenue: .mean
            }
        }
    }

    /// How the treatment's share of traffic moves from period to period.
    public enum Schedule: Sendable, Hashable {
        /// Fixed treatment shares, one per period (the last repeats).
        case fixed([Double])
        /// A Thompson-like bandit: each period's treatment share is P(treatment is better)
        /// from a normal approximation on the pooled data so far, clipped to [floor, 1 − floor].
        case thompson(floor: Double)
    }

    public var name: String
    public var outcome: Outcome
    public var periods: Int
    /// Units arriving in an average period; arrivals follow a daily-like wave around it.
    public var unitsPerPeriod: Int
    public var schedule: Schedule
    /// The base rate in the last period as a share of the first (drifting linearly).
    public var finalDrift: Double
    /// The true relative lift of treatment over control (0 for an A/A test).
    public var relativeEffect: Double

    public init(
        name: String,
        outcome: Outcome,
        periods: Int,
        unitsPerPeriod: Int,
        schedule: Schedule,
        finalDrift: Double = 1,
        relativeEffect: Double = 0
    ) {
        self.name = name
        self.outcome = outcome
        self.periods = periods
        self.unitsPerPeriod = unitsPerPeriod
        self.schedule = schedule
        self.finalDrift = finalDrift
        self.relativeEffect = relativeEffect
    }

    /// Units arriving in period p: a wave between 0.5 and 1.5 times the average, fixed by the
    /// design (never by outcomes).
    func arrivals(period p: Int) -> Int {
        let phase = Double(p) / Double(max(periods, 1)) * 2 * Double.pi
        return max(2, Int((Double(unitsPerPeriod) * (1 + 0.5 * sin(phase))).rounded()))
    }

    /// The base rate multiplier of period p, from 1 down (or up) to `finalDrift`.
    func drift(period p: Int) -> Double {
        periods > 1 ? 1 + (finalDrift - 1) * Double(p) / Double(periods - 1) : 1
    }
}

/// One simulated experiment: each period's arm statistics and treatment share, and the truth.
public struct SimulatedExperiment: Sendable {
    /// Per period: "control" and "treatment" statistics.
    public var periods: [[String: SufficientStatistics]]
    /// The treatment's share of traffic in force in each period.
    public var treatmentShares: [Double]
    /// The true lifts of the mean over the whole experiment's traffic.
    public var absoluteTruth: Double
    public var relativeTruth: Double
}

extension CalibrationScenario {
    /// The two arms' keys in simulated experiments.
    public static let arms = ["control", "treatment"]

    /// Simulates one experiment unit by unit from `generator`.
    public func simulate<G: RandomNumberGenerator>(using generator: inout G) -> SimulatedExperiment {
        var periodsData: [[String: SufficientStatistics]] = []
        var shares: [Double] = []
        var cumulative = ["control": SufficientStatistics.zero, "treatment": .zero]
        var (truthX, truthY) = ([0.0, 0.0], [0.0, 0.0])
        for p in 0..<periods {
            let share = treatmentShare(period: p, soFar: cumulative)
            shares.append(share)
            let n = arrivals(period: p)
            var cells = [Accumulator(), Accumulator()]
            for _ in 0..<n {
                let arm = generator.nextUnitDouble() < share ? 1 : 0
                let (x, y) = draw(arm: arm, period: p, using: &generator)
                cells[arm].add(x, y)
            }
            for arm in 0..<2 {
                let (ex, ey) = expected(arm: arm, period: p)
                truthX[arm] += Double(n) * ex
                truthY[arm] += Double(n) * ey
            }
            let period = [
                "control": cells[0].statistics(ratio: outcome.kind == .ratio), "treatment": cells[1].statistics(ratio: outcome.kind == .ratio),
            ]
            for (key, s) in period { cumulative[key, default: .zero] = cumulative[key, default: .zero] + s }
            periodsData.append(period)
        }
        let (ma, mb) = (truthX[0] / truthY[0], truthX[1] / truthY[1])
        return SimulatedExperiment(periods: periodsData, treatmentShares: shares, absoluteTruth: mb - ma, relativeTruth: mb / ma - 1)
    }

    private func rate(arm: Int, period p: Int) -> Double {
        let base: Double
        switch outcome {
        case .conversion(let r), .ctr(let r), .ndcg(let r), .revenue(let r): base = r
        }
        return min(1, base * drift(period: p) * (arm == 1 ? 1 + relativeEffect : 1))
    }

    /// E[x] and E[y] of one unit of `arm` in period p.
    private func expected(arm: Int, period p: Int) -> (Double, Double) {
        let q = rate(arm: arm, period: p)
        switch outcome {
        case .conversion: return (q, 1)
        case .ctr: return (2 * q, 2)
        case .ndcg: return (2 * q * Self.meanDiscount, 2)
        case .revenue: return (q * Self.meanPurchaseValue, 1)
        }
    }

    private func draw<G: RandomNumberGenerator>(arm: Int, period p: Int, using generator: inout G) -> (Double, Double) {
        let q = rate(arm: arm, period: p)
        switch outcome {
        case .conversion:
            return (generator.nextUnitDouble() < q ? 1 : 0, 1)
        case .ctr, .ndcg:
            let lists = 1 + RandomVariates.poisson(mean: 1, using: &generator)
            var x = 0.0
            for _ in 0..<lists where generator.nextUnitDouble() < q {
                if case .ctr = outcome {
                    x += 1
                } else {
                    let rank = 1 + Int(generator.nextUnitDouble() * 10)
                    x += 1 / log2(Double(rank) + 1)
                }
            }
            return (x, Double(lists))
        case .revenue:
            guard generator.nextUnitDouble() < q else { return (0, 1) }
            return (exp(RandomVariates.normal(mean: 3, standardDeviation: 1.2, using: &generator)), 1)
        }
    }

    /// The mean of 1/log2(r + 1) for r uniform on 1…10.
    static let meanDiscount = (1...10).reduce(0.0) { $0 + 1 / log2(Double($1) + 1) } / 10
    /// E[exp(N(3, 1.2²))] = exp(3 + 1.2²/2).
    static let meanPurchaseValue = exp(3 + 0.72)

    /// The treatment's share in period p, from the schedule and the data before it.
    private func treatmentShare(period p: Int, soFar: [String: SufficientStatistics]) -> Double {
        switch schedule {
        case .fixed(let shares):
            return shares.isEmpty ? 0.5 : shares[min(p, shares.count - 1)]
        case .thompson(let floor):
            guard p > 0, let a = soFar["control"], let b = soFar["treatment"], a.count >= 2, b.count >= 2 else { return 0.5 }
            let (ea, eb) = (a.estimate(kind: outcome.kind), b.estimate(kind: outcome.kind))
            let se = (ea.varianceOfMean + eb.varianceOfMean).squareRoot()
            let chance = se > 0 ? Normal.cdf((eb.mean - ea.mean) / se) : 0.5
            return min(1 - floor, max(floor, chance))
        }
    }
}

/// Running sums of one cell's per-unit values.
private struct Accumulator {
    var n = 0.0
    var sx = 0.0
    var sxx = 0.0
    var sy = 0.0
    var syy = 0.0
    var sxy = 0.0

    mutating func add(_ x: Double, _ y: Double) {
        n += 1
        sx += x
        sxx += x * x
        sy += y
        syy += y * y
        sxy += x * y
    }

    func statistics(ratio: Bool) -> SufficientStatistics {
        ratio
            ? SufficientStatistics(count: n, sum: sx, sumOfSquares: sxx, denominatorSum: sy, denominatorSumOfSquares: syy, crossProductSum: sxy)
            : SufficientStatistics(count: n, sum: sx, sumOfSquares: sxx)
    }
}
