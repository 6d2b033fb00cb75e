/// A lift with its interval, as reports show it.
public struct LiftSummary: Sendable, Hashable, Codable {
    /// The point estimate.
    public var estimate: Double
    /// The fixed-horizon 1 − alpha confidence interval.
    public var interval: Interval
    /// The always-valid confidence sequence at this look.
    public var sequentialInterval: Interval
}

/// Everything the evaluator says about one arm against control on one metric.
public struct MetricComparison: Sendable, Hashable, Codable {
    /// The metric's name.
    public var metric: String
    /// The treatment arm's key.
    public var arm: String
    /// The control arm's key.
    public var control: String
    /// Units in control.
    public var controlUnits: Double
    /// Units in treatment.
    public var treatmentUnits: Double
    /// The control's (unadjusted) metric mean.
    public var controlMean: Double
    /// The treatment's (unadjusted) metric mean.
    public var treatmentMean: Double
    /// treatment − control (CUPED-adjusted when a covariate was given).
    public var absoluteLift: LiftSummary
    /// (treatment − control) / control.
    public var relativeLift: LiftSummary
    /// The fixed-horizon test used, in words.
    public var testMethod: String
    /// The fixed-horizon p-value (two-proportion z for proportions, Welch t otherwise).
    public var pValue: Double
    /// The always-valid mSPRT p-value at this look.
    public var sequentialPValue: Double
    /// The p-value after Holm / Benjamini–Hochberg across arms × metrics; nil before.
    public var adjustedPValue: Double?
    /// P(treatment is better), direction-aware (Beta-Binomial for proportions, normal posterior otherwise).
    public var chanceToBeatControl: Double
    /// Expected loss of choosing treatment, in the metric's units (absolute).
    public var expectedLoss: Double
    /// CUPED's θ when a covariate was used.
    public var cupedTheta: Double?
    /// Guardrail status when the metric is a guardrail.
    public var guardrailStatus: GuardrailStatus?
    /// Power at the current units per arm for the metric's minimum detectable effect.
    public var power: Double?
    /// Units per arm still needed to reach the target power for the minimum detectable effect.
    public var unitsStillNeededPerArm: Double?
    /// Whether the decision p-value is below alpha.
    public var isSignificant: Bool
    /// Whether the lift points the good way (direction-aware).
    public var isImprovement: Bool
    /// Notes and reasons a test could not run; empty when all is well.
    public var messages: [String]
    /// Whether decisions use the sequential p-value.
    public var usesSequentialPValue: Bool
    /// The fixed-horizon p-value of the relative lift's own test (pairs with its interval).
    public var relativePValue: Double? = nil
    /// The always-valid p-value of the relative lift's own test (pairs with its sequence).
    public var relativeSequentialPValue: Double? = nil

    /// The p-value decisions rest on: adjusted if available, else sequential or fixed.
    public var decisionPValue: Double {
        adjustedPValue ?? (usesSequentialPValue ? sequentialPValue : pValue)
    }
}
