/// Welch's unequal-variance t test on a lift, with Welch–Satterthwaite degrees of freedom
/// ν = (v_A + v_B)² / (v_A²/(n_A − 1) + v_B²/(n_B − 1)), v = σ²/n. On the absolute scale it
/// equals scipy's `ttest_ind(equal_var=False)`; on the relative scale gbstats'
/// `TwoSidedTTest` (delta-method variance, same ν).
public enum WelchTTest {
    /// How results describe this test.
    public static let method = "Welch t test, Welch–Satterthwaite degrees of freedom; delta method for relative lifts"

    /// Runs the test; degenerate data returns a result with a message.
    public static func compute(control a: ArmEstimate, treatment b: ArmEstimate, config: FrequentistConfig = .init()) -> FrequentistResult {
        let lift: Lift
        do {
            lift = try Lift.between(control: a, treatment: b, scale: config.scale)
        } catch {
            return .degenerate(error, scale: config.scale, method: Self.method)
        }
        let nu = degreesOfFreedom(a, b)
        let se = lift.standardError
        let t = (lift.estimate - config.nullValue) / se
        return FrequentistResult(
            method: Self.method,
            scale: config.scale,
            estimate: lift.estimate,
            standardError: se,
            statistic: t,
            degreesOfFreedom: nu,
            pValue: Pivot.pValue(t, alternative: config.alternative) { StudentT.survival($0, degreesOfFreedom: nu) },
            interval: Pivot.interval(estimate: lift.estimate, standardError: se, alpha: config.alpha, alternative: config.alternative) {
                StudentT.quantile($0, degreesOfFreedom: nu)
            },
            message: nil
        )
    }

    /// The Welch–Satterthwaite degrees of freedom of two arms.
    public static func degreesOfFreedom(_ a: ArmEstimate, _ b: ArmEstimate) -> Double {
        let va = a.varianceOfMean
        let vb = b.varianceOfMean
        return (va + vb) * (va + vb) / (va * va / (a.count - 1) + vb * vb / (b.count - 1))
    }
}
