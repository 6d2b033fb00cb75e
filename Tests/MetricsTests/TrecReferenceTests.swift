import Testing

@testable import Metrics

/// Cross-check against trec_eval: `TrecFixtures.run` evaluated against `TrecFixtures.qrels`.
/// Expected values printed by scripts/metrics_reference.py with pytrec_eval (pytrec-eval-terrier
/// 0.5.11, trec_eval 9 code, installed with ir-measures 0.4.3). The fixture exercises ties broken by
/// docno in byte order (query 2: x2 > x10 > x1), relevant items never retrieved (d8, m, n), a
/// query with no relevant item (3), a run-only query (5), lists shorter than K and negative grades (z9).
struct TrecReferenceTests {
    static let metrics: [RankingMetric] = [
        .precision(3), .precision(10), .recall(3), .recall(10), .ndcg(3), .ndcg(10),
        .averagePrecision(3), .averagePrecision(10), .averagePrecision(.max), .reciprocalRank, .hit(1), .hit(3),
    ]

    /// pytrec_eval P_3, P_10, recall_3, recall_10, ndcg_cut_3, ndcg_cut_10, map_cut_3, map_cut_10, map,
    /// recip_rank, success_1, success_3 per query.
    static let reference: [String: [Double]] = [
        "1": [
            0.6666666666666666, 0.3, 0.5, 0.75, 0.36999401273810767, 0.407906015027881, 0.29166666666666663, 0.41666666666666663,
            0.41666666666666663, 0.5, 0.0, 1.0,
        ],
        "2": [
            0.3333333333333333, 0.2, 0.5, 1.0, 0.38009376671593426, 0.543791241910304, 0.16666666666666666, 0.41666666666666663,
            0.41666666666666663, 0.3333333333333333, 0.0, 1.0,
        ],
        "3": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        "10": [
            0.6666666666666666, 0.2, 1.0, 1.0, 0.58688267143572, 0.58688267143572, 0.5833333333333333, 0.5833333333333333,
            0.5833333333333333, 0.5, 0.0, 1.0,
        ],
    ]
    /// Means over the four evaluated queries; with `-c` query 4 (judged, not in the run) adds a row of zeros.
    static let referenceMean: [Double] = [
        0.41666666666666663, 0.175, 0.5, 0.6875, 0.3342426127224405, 0.38464498209347625, 0.26041666666666663, 0.35416666666666663,
        0.35416666666666663, 0.3333333333333333, 0.0, 0.75,
    ]
    static let referenceMeanWithMissing: [Double] = [
        0.3333333333333333, 0.13999999999999999, 0.4, 0.55, 0.2673940901779524, 0.307715985674781, 0.20833333333333331, 0.2833333333333333,
        0.2833333333333333, 0.26666666666666666, 0.0, 0.6,
    ]

    func load() throws -> (TrecRun, Qrels) {
        (try TrecRun.parse(TrecFixtures.run, file: "small.run"), try Qrels.parse(TrecFixtures.qrels, file: "small.qrels"))
    }

    @Test func perQueryValuesMatchTrecEval() throws {
        let (run, qrels) = try load()
        let evaluation = TrecEvaluation(run: run, qrels: qrels, options: .init(metrics: Self.metrics))
        #expect(evaluation.perQuery.map(\.query) == ["1", "2", "3", "10"])
        for row in evaluation.perQuery {
            let expected = try #require(Self.reference[row.query])
            for (index, metric) in Self.metrics.enumerated() {
                #expect(abs(row.values[index] - expected[index]) < 1e-12, "query \(row.query) \(metric)")
            }
        }
        for index in Self.metrics.indices {
            #expect(abs(evaluation.means[index] - Self.referenceMean[index]) < 1e-12, "mean \(Self.metrics[index])")
        }
    }

    @Test func missingQueriesCountAsZeroOnlyWhenAsked() throws {
        let (run, qrels) = try load()
        let options = TrecEvaluationOptions(metrics: Self.metrics, countMissingQueriesAsZero: true)
        let evaluation = TrecEvaluation(run: run, qrels: qrels, options: options)
        #expect(evaluation.perQuery.map(\.query) == ["1", "2", "3", "4", "10"])
        #expect(evaluation.perQuery[3].isMissingFromRun)
        #expect(evaluation.perQuery[3].values.allSatisfy { $0 == 0 })
        for index in Self.metrics.indices {
            #expect(abs(evaluation.means[index] - Self.referenceMeanWithMissing[index]) < 1e-12, "mean \(Self.metrics[index])")
        }
    }

    @Test func tiesAreBrokenByDocnoDescendingInByteOrder() throws {
        let (run, _) = try load()
        // x1, x2, x10 share score 9: byte order descending is x2 > x10 > x1 (not numeric order).
        #expect(run.rankedDocnos(for: "2") == ["x9", "x2", "x10", "x1"])
        // d2 and d3 share score 2.0: d3 ranks first.
        #expect(run.rankedDocnos(for: "1").prefix(3) == ["d1", "d3", "d2"])
    }
}
