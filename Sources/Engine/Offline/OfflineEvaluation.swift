import Metrics
import Strategies

/// Offline evaluation: fit each strategy on the training part of a split, recommend for every
/// test unit, and score the lists against the held-out items with trec_eval definitions.
public struct OfflineEvaluation {
    /// One strategy's scores: the mean of each metric over test units, plus catalogue
    /// coverage and popularity bias of all lists.
    public struct Row: Sendable, Codable, Equatable {
        public var strategy: String
        public var testUnits: Int
        /// Metric name (P@10, ndcg@10, map@10, recip_rank, recall@10, hit@10) → mean.
        public var metrics: [String: Double]
        /// Share of the catalogue recommended to at least one unit.
        public var coverage: Double
        /// Mean popularity percentile of recommended items (1 = only the most popular).
        public var popularityPercentile: Double
        /// Seconds `fit` took by the injected clock; nil when the evaluation has no clock.
        public var fitSeconds: Double?
    }

    public var metrics: [RankingMetric]
    public var k: Int
    /// Monotonic seconds (any origin), read just before and just after each fit; injected so
    /// this pure module reads no clock of its own.
    public var clock: (@Sendable () -> Double)?

    /// Evaluates with `metrics`; lists of `k` items (the largest cut-off) are asked for. With a
    /// `clock`, each row carries its fit time.
    public init(metrics: [RankingMetric], k: Int, clock: (@Sendable () -> Double)? = nil) {
        self.metrics = metrics
        self.k = k
        self.clock = clock
    }

    /// Fits `strategy` on `train` and scores it on `test` (unit → item → grade). Items a unit
    /// had in training are excluded from its list; its last few training items are passed as
    /// the session context, so sequence-aware strategies can use them.
    public func evaluate(
        _ strategy: any RecommendationStrategy,
        label: String,
        train: [Interaction],
        test: [String: [String: Double]],
        catalogue: ItemCatalogue
    ) throws -> Row {
        let fitSeconds = try timed { try strategy.fit(train, catalogue: catalogue) }
        var history: [String: [String]] = [:]
        var popularity: [String: Double] = [:]
        for interaction in train {
            history[interaction.unit, default: []].append(interaction.item)
            popularity[interaction.item, default: 0] += 1
        }
        var sums = [Double](repeating: 0, count: metrics.count)
        var lists: [[String]] = []
        for (unit, judgements) in test.sorted(by: { $0.key < $1.key }) {
            let seen = history[unit] ?? []
            let request = RecommendationRequest(unit: unit, recentItems: Array(seen.suffix(5)), excludedItems: Set(seen), k: k)
            let ranking = strategy.recommend(request).map(\.item)
            lists.append(ranking)
            let judged = JudgedRanking(ranking: ranking, judgements: judgements)
            for (index, metric) in metrics.enumerated() {
                sums[index] += metric.value(for: judged)
            }
        }
        let count = max(test.count, 1)
        return Row(
            strategy: label,
            testUnits: test.count,
            metrics: Dictionary(uniqueKeysWithValues: zip(metrics.map(\.description), sums.map { $0 / Double(count) })),
            coverage: CatalogueMetrics.coverage(of: lists, catalogueSize: catalogue.items.count),
            popularityPercentile: CatalogueMetrics.meanPopularityPercentile(of: lists, popularity: popularity),
            fitSeconds: fitSeconds
        )
    }

    /// Runs `work` and returns its duration by `clock`, or nil without a clock.
    private func timed(_ work: () throws -> Void) rethrows -> Double? {
        guard let clock else {
            try work()
            return nil
        }
        let start = clock()
        try work()
        return clock() - start
    }
}
