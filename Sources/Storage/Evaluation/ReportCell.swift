import Foundation
import Stats

/// The statistics of one metric for the units of one arm that share an allocation period,
/// a segment and an entry day: the finest grain `abctl report` reads
/// (`abctl_report_cells` in sql/0006_report.sql). Cells hold disjoint units, so any
/// grouping of them adds up.
public struct ReportCell: Sendable, Equatable {
    /// The arm's key.
    public var arm: String
    /// The allocation version in force at the unit's first impression in the range.
    public var period: Int64
    /// The segment key's value in the context of the unit's first impression; nil when no
    /// segment was asked for or the impression's context lacks the key.
    public var segment: String?
    /// UTC midnight of the day of the unit's first impression in the range (its cohort).
    public var day: Date
    /// precision@k, ndcg@k, mrr, hit@k, ctr, conversion or revenue_per_unit.
    public var metric: String
    /// Σ over the cell's units of the metric (and its denominator for ratio metrics).
    public var statistics: SufficientStatistics
    /// Σz, Σz², Σxz of the pre-period covariate; nil without CUPED or for ratio metrics.
    public var covariate: CovariateStatistics?

    public init(
        arm: String,
        period: Int64,
        segment: String?,
        day: Date,
        metric: String,
        statistics: SufficientStatistics,
        covariate: CovariateStatistics? = nil
    ) {
        self.arm = arm
        self.period = period
        self.segment = segment
        self.day = day
        self.metric = metric
        self.statistics = statistics
        self.covariate = covariate
    }
}
