/// The two-proportion z test. The p-value uses the pooled proportion under the null,
/// z = (p_B − p_A) / √(p̄(1 − p̄)(1/n_A + 1/n_B)) (statsmodels `proportions_ztest`); the
/// interval uses the unpooled standard error √(p_A(1−p_A)/n_A + p_B(1−p_B)/n_B)
/// (statsmodels `confint_proportions_2indep(method="wald")`). On the relative scale the
/// interval is the delta method on p_B/p_A (gbstats), and the p-value stays the pooled one.
public enum TwoProportionZTest {
    /// How results describe this test.
    public static let method = "two-proportion z test: pooled standard error for the p-value, unpooled (Wald) for the interval"

    /// Runs the test on per-arm counts of converting units (`sum`) out of units (`count`).
    public static func compute(
        control a: SufficientStatistics,
        treatment b: SufficientStatistics,
        config: FrequentistConfig = .init()
    ) -> FrequentistResult {
        let ea = a.estimate(kind: .proportion)
        let eb = b.estimate(kind: .proportion)
        let lift: Lift
        do {
            lift = try Lift.between(control: ea, treatment: eb, scale: config.scale)
        } catch {
            return .degenerate(error, scale: config.scale, method: Self.method)
        }
        let pooled = (a.sum + b.sum) / (a.count + b.count)
        let pooledSE = (pooled * (1 - pooled) * (1 / a.count + 1 / b.count)).squareRoot()
        // The null value is a difference of proportions; on the relative scale convert it.
        let nullDifference = config.scale == .absolute ? config.nullValue : config.nullValue * ea.mean
        let z = (eb.mean - ea.mean - nullDifference) / pooledSE
        let se = lift.standardError
        return FrequentistResult(
            method: Self.method,
            scale: config.scale,
            estimate: lift.estimate,
            standardError: se,
            statistic: z,
            degreesOfFreedom: nil,
            pValue: Pivot.pValue(z, alternative: config.alternative, survival: Normal.survival),
            interval: Pivot.interval(
                estimate: lift.estimate,
                standardError: se,
                alpha: config.alpha,
                alternative: config.alternative,
                quantile: Normal.quantile
            ),
            message: nil
        )
    }
}
