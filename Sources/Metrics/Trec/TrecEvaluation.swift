/// The result of evaluating a TREC run against qrels: every metric for every evaluated query and
/// the mean over those queries.
public struct TrecEvaluation: Sendable, Hashable {
    /// The scores of one query, in the order of `metrics`.
    public struct QueryScores: Sendable, Hashable {
        /// The query identifier.
        public let query: String
        /// One value per metric, in the order of `TrecEvaluation.metrics`.
        public let values: [Double]
        /// Whether the run had no entry for this query (only with `countMissingQueriesAsZero`).
        public let isMissingFromRun: Bool
    }

    /// The metrics computed, in output order.
    public let metrics: [RankingMetric]
    /// Per-query scores, ordered by query id (numerically when both ids are integers).
    public let perQuery: [QueryScores]
    /// The mean of each metric over `perQuery` (0 when no query was evaluated).
    public let means: [Double]
}

/// What to compute and how to treat the queries the run and the qrels do not share.
public struct TrecEvaluationOptions: Sendable, Hashable {
    /// The metrics to compute.
    public var metrics: [RankingMetric]
    /// DCG gain: linear by default, as trec_eval.
    public var gain: Gain
    /// The smallest grade that counts as relevant (trec_eval `-l`, default 1).
    public var relevanceThreshold: Int
    /// Queries judged in the qrels but absent from the run score 0 on every metric and count in the
    /// mean (trec_eval `-c`). When false, as trec_eval by default, only queries present in both count.
    public var countMissingQueriesAsZero: Bool

    public init(metrics: [RankingMetric], gain: Gain = .linear, relevanceThreshold: Int = 1, countMissingQueriesAsZero: Bool = false) {
        self.metrics = metrics
        self.gain = gain
        self.relevanceThreshold = relevanceThreshold
        self.countMissingQueriesAsZero = countMissingQueriesAsZero
    }
}

extension TrecEvaluation {
    /// Evaluates `run` against `qrels` with trec_eval semantics: queries of the run without any
    /// judgement are ignored; each query's documents are ordered by score then docno (see
    /// `TrecRun.rankedDocnos(for:)`).
    public init(run: TrecRun, qrels: Qrels, options: TrecEvaluationOptions) {
        var rows: [QueryScores] = []
        for (query, judgements) in qrels.gradesByQuery {
            let isMissing = run.entriesByQuery[query] == nil
            if isMissing && !options.countMissingQueriesAsZero { continue }
            let ranking = Self.judgedRanking(
                docnos: run.rankedDocnos(for: query),
                judgements: judgements,
                relevanceThreshold: Double(options.relevanceThreshold)
            )
            let values = options.metrics.map { isMissing ? 0 : $0.value(for: ranking, gain: options.gain) }
            rows.append(QueryScores(query: query.text, values: values, isMissingFromRun: isMissing))
        }
        rows.sort { Self.queryPrecedes($0.query, $1.query) }
        var means = [Double](repeating: 0, count: options.metrics.count)
        for row in rows {
            for index in means.indices { means[index] += row.values[index] }
        }
        if !rows.isEmpty { means = means.map { $0 / Double(rows.count) } }
        self.init(metrics: options.metrics, perQuery: rows, means: means)
    }

    /// Joins ranked docnos with integer judgements; negative grades (unjudged in pool) count as 0.
    static func judgedRanking(docnos: [TrecIdentifier], judgements: [TrecIdentifier: Int], relevanceThreshold: Double) -> JudgedRanking {
        let grades = docnos.map { Double(max(0, judgements[$0] ?? 0)) }
        let judged = judgements.values.map { Double(max(0, $0)) }
        return JudgedRanking(grades: grades, judgedGrades: judged, relevanceThreshold: relevanceThreshold)
    }

    /// Query order for output: numeric when both ids are integers, otherwise byte order.
    static func queryPrecedes(_ a: String, _ b: String) -> Bool {
        if let x = Int(a), let y = Int(b), x != y { return x < y }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
