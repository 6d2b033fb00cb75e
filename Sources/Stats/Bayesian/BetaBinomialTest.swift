import RealModule

/// The outcome of the Beta-Binomial comparison of two conversion rates.
public struct BetaBinomialResult: Sendable, Hashable, Codable {
    /// The control's posterior Beta distribution.
    public var controlPosterior: BetaDistribution
    /// The treatment's posterior Beta distribution.
    public var treatmentPosterior: BetaDistribution
    /// P(treatment better than control) under the posteriors (direction-aware).
    public var chanceToBeatControl: Double
    /// E[max(control − treatment, 0)] in the good direction: what choosing treatment risks.
    public var expectedLoss: Double
    /// E[max(treatment − control, 0)] in the good direction: what keeping control risks.
    public var expectedLossOfControl: Double
    /// Why the test could not run; nil when it did.
    public var message: String?
}

/// Bayesian comparison of two proportions with independent Beta priors (Beta(1, 1) by
/// default). The chance to beat control P(p_B > p_A) is exact: Evan Miller's closed form
/// ("Formulas for Bayesian A/B testing", 2014) for integer shapes,
///   P(X > Y) = Σ_{i=0}^{α_X−1} B(α_Y + i, β_X + β_Y) / ((β_X + i) B(1 + i, β_X) B(α_Y, β_Y)),
/// and numerical integration of f_X·F_Y otherwise. The expected loss uses
/// E[max(p_A − p_B, 0)] = E[p_A]·P(A⁺ > B) − E[p_B]·P(A > B⁺) with A⁺ = Beta(α_A + 1, β_A)
/// (Stucchio, "Bayesian A/B testing at VWO", 2015), where the shifted probabilities follow
/// from P(B > A) in closed form, so one comparison costs one sum.
public enum BetaBinomialTest {
    /// Compares converting units (`sum`) out of units (`count`) in each arm.
    public static func compute(
        control a: SufficientStatistics,
        treatment b: SufficientStatistics,
        prior: BetaDistribution = BetaDistribution(alpha: 1, beta: 1),
        direction: Direction = .higherIsBetter
    ) -> BetaBinomialResult {
        let pa = BetaDistribution(alpha: prior.alpha + a.sum, beta: prior.beta + a.count - a.sum)
        let pb = BetaDistribution(alpha: prior.alpha + b.sum, beta: prior.beta + b.count - b.sum)
        let valid = [pa.alpha, pa.beta, pb.alpha, pb.beta].allSatisfy { $0.isFinite && $0 > 0 }
        guard valid, a.count > 0, b.count > 0 else {
            return BetaBinomialResult(
                controlPosterior: pa,
                treatmentPosterior: pb,
                chanceToBeatControl: 0.5,
                expectedLoss: 0,
                expectedLossOfControl: 0,
                message: (a.count > 0 && b.count > 0 ? Degeneracy.nonFiniteInput : Degeneracy.emptyArm).description
            )
        }
        let bBeatsA = probabilityGreater(pb, than: pa)
        // Shifting α by one moves the probability by a closed form (from
        // I_x(a + 1, b) = I_x(a, b) − xᵃ(1 − x)ᵇ / (a B(a, b))):
        // P(A⁺ > B) = P(A > B) + g/α_A and P(B⁺ > A) = P(B > A) + g/α_B,
        // g = B(α_A + α_B, β_A + β_B) / (B(α_A, β_A) B(α_B, β_B)).
        let g = Double.exp(
            SpecialFunctions.logBeta(pa.alpha + pb.alpha, pa.beta + pb.beta) - SpecialFunctions.logBeta(pa.alpha, pa.beta)
                - SpecialFunctions.logBeta(pb.alpha, pb.beta)
        )
        let aPlusBeatsB = 1 - bBeatsA + g / pa.alpha
        let bPlusBeatsA = bBeatsA + g / pb.alpha
        // E[max(p_A − p_B, 0)] = E[p_A] P(A⁺ > B) − E[p_B] P(A > B⁺), and symmetrically.
        let lossOfB = max(0, pa.mean * aPlusBeatsB - pb.mean * (1 - bPlusBeatsA))
        let lossOfA = max(0, pb.mean * bPlusBeatsA - pa.mean * (1 - aPlusBeatsB))
        let higher = direction == .higherIsBetter
        return BetaBinomialResult(
            controlPosterior: pa,
            treatmentPosterior: pb,
            chanceToBeatControl: higher ? bBeatsA : 1 - bBeatsA,
            expectedLoss: higher ? lossOfB : lossOfA,
            expectedLossOfControl: higher ? lossOfA : lossOfB,
            message: nil
        )
    }

    /// P(X > Y) for independent Beta variables: the exact sum when an α is an integer (up to
    /// 5 million terms, about 10 ms), numerical integration otherwise.
    public static func probabilityGreater(_ x: BetaDistribution, than y: BetaDistribution) -> Double {
        let limit = 5_000_000.0
        let xInteger = x.alpha == x.alpha.rounded() && x.alpha <= limit
        let yInteger = y.alpha == y.alpha.rounded() && y.alpha <= limit
        if xInteger && (!yInteger || x.alpha <= y.alpha) { return millerSum(x, y) }
        if yInteger { return 1 - millerSum(y, x) }
        return integrate(x, y)
    }

    /// Evan Miller's sum over i < α_X. Successive terms have the ratio
    /// t_{i+1}/t_i = (α_Y + i)(β_X + i) / ((α_Y + β_X + β_Y + i)(1 + i)), so only the first
    /// term needs log-gamma; the running sum is kept relative to t₀ = B(α_Y, β_X + β_Y)/B(α_Y, β_Y)
    /// and rescaled before it can overflow.
    private static func millerSum(_ x: BetaDistribution, _ y: BetaDistribution) -> Double {
        var logScale = SpecialFunctions.logBeta(y.alpha, x.beta + y.beta) - SpecialFunctions.logBeta(y.alpha, y.beta)
        var term = 1.0
        var total = 0.0
        let rescale = 1e250
        for i in 0..<Int(x.alpha) {
            total += term
            let i = Double(i)
            term *= (y.alpha + i) * (x.beta + i) / ((y.alpha + x.beta + y.beta + i) * (1 + i))
            if term > rescale {
                term /= rescale
                total /= rescale
                logScale += Double.log(rescale)
            }
        }
        return min(1, max(0, total * Double.exp(logScale)))
    }

    /// ∫ f_X(t) F_Y(t) dt by composite Simpson over X's bulk (±12 standard deviations).
    private static func integrate(_ x: BetaDistribution, _ y: BetaDistribution) -> Double {
        let sd = x.variance.squareRoot()
        let lo = max(0, x.mean - 12 * sd)
        let hi = min(1, x.mean + 12 * sd)
        let steps = 4000
        let h = (hi - lo) / Double(steps)
        var total = 0.0
        for k in 0...steps {
            let t = lo + Double(k) * h
            let weight: Double = k == 0 || k == steps ? 1 : (k % 2 == 1 ? 4 : 2)
            total += weight * x.pdf(t) * y.cdf(t)
        }
        return min(1, max(0, total * h / 3))
    }
}
