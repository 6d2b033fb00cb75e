import Foundation
import Stats

/// Everything `abctl report` and the dashboard's experiment page show about one experiment:
/// the stored spec's arms and metrics, the evaluator's per-arm statistics, the statistical
/// report and the allocation history. One value, made by one loader, so both agree.
public struct ExperimentReportData: Codable, Sendable {
    public var experiment: String
    public var version: Int
    /// The experiment's latest status (running, stopped, …).
    public var status: String
    public var since: Date?
    public var until: Date?
    public var generatedAt: Date
    public var controlArm: String
    public var arms: [String]
    /// Metric names in spec order, primary first.
    public var metrics: [String]
    /// Confidence level of every interval, 1 − the spec's alpha (e.g. 0.95).
    public var confidenceLevel: Double
    /// Pooled or post-stratified on the allocation period, and why.
    public var analysisMethod: AnalysisMethod
    /// Per metric name, per arm: units and the mean of the metric.
    public var armSummaries: [String: [ArmSummary]]
    public var report: ExperimentReport
    public var allocations: [AllocationPoint]
    /// Per-segment results when a segment was asked for.
    public var segments: SegmentBreakdown?
    /// CUPED's covariate and effect when the spec names a covariate.
    public var cuped: CUPEDSummary?
    /// Lift per day over the units that entered by then, for the charts.
    public var cumulativeLift: [CumulativeLiftPoint]
    /// Where the numbers come from and how fresh they are ("data as of …").
    public var freshness: ReportFreshness?

    /// One arm's units and mean of one metric.
    public struct ArmSummary: Codable, Sendable {
        public var arm: String
        public var units: Double
        /// The estimator's mean: pooled under one allocation, post-stratified when it moved
        /// (`analysisMethod`); the lifts are this mean's differences and ratios.
        public var mean: Double?
        /// mean ± z·√Var(mean) at the report's confidence level; nil with fewer than two units.
        public var interval: Interval?
        /// The raw mean of all the arm's units pooled over periods, for reference: biased
        /// when the weights moved while the metric drifted.
        public var pooledMean: Double?
        /// Beta posterior parameters for proportion metrics (successes + 1, failures + 1).
        public var posteriorAlpha: Double?
        public var posteriorBeta: Double?
    }

    /// The arm weights in force from `effectiveFrom` on.
    public struct AllocationPoint: Codable, Sendable {
        public var version: Int64
        public var effectiveFrom: Date
        public var policy: String
        public var weights: [String: Double]

        /// A point from its fields (the dashboard also draws observed traffic shares with it).
        public init(version: Int64, effectiveFrom: Date, policy: String, weights: [String: Double]) {
            self.version = version
            self.effectiveFrom = effectiveFrom
            self.policy = policy
            self.weights = weights
        }
    }
}
