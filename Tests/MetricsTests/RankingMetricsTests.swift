import Foundation
import Testing

@testable import Metrics

/// Hand-computed cases for the ranking metrics; the arithmetic is in the comments.
struct RankingMetricsTests {
    /// Ranking a, b, c, d, e with grades a 0, b 2, c 0, d 1, e unjudged; judged f 3 not ranked.
    /// Relevant (grade ≥ 1): b (rank 2), d (rank 4), f (unranked) → 3 relevant.
    let graded = JudgedRanking(
        ranking: ["a", "b", "c", "d", "e"],
        judgements: ["a": 0, "b": 2, "c": 0, "d": 1, "f": 3]
    )

    @Test func precisionDividesByKEvenWhenTheListIsShorter() {
        #expect(graded.precision(at: 1) == 0)  // a irrelevant
        #expect(graded.precision(at: 2) == 0.5)  // 1 / 2
        #expect(graded.precision(at: 5) == 0.4)  // b, d → 2 / 5
        #expect(graded.precision(at: 10) == 0.2)  // 2 / 10, not 2 / 5
    }

    @Test func recallCountsRelevantItemsOutsideTheList() {
        #expect(graded.recall(at: 2) == 1.0 / 3)  // b of {b, d, f}
        #expect(graded.recall(at: 10) == 2.0 / 3)  // f was never ranked
    }

    @Test func linearNDCGUsesIdealOrderOfAllJudgedItems() {
        // DCG@5 = 2/log2(3) + 1/log2(5) = 1.2618595 + 0.4306766 = 1.6925361
        // IDCG@5 over grades 3, 2, 1 = 3 + 2/log2(3) + 1/log2(4) = 3 + 1.2618595 + 0.5 = 4.7618595 → 0.3554360
        let dcg = 2 / log2(3.0) + 1 / log2(5.0)
        let idcg = 3 + 2 / log2(3.0) + 0.5
        #expect(abs(graded.dcg(at: 5) - dcg) < 1e-12)
        #expect(abs(graded.ndcg(at: 5) - dcg / idcg) < 1e-12)
        #expect(abs(graded.ndcg(at: 5) - 0.3554360) < 1e-7)
        // @2: DCG = 2/log2(3) = 1.261860; IDCG = 3 + 1.261860 = 4.261860 → 0.296082
        #expect(abs(graded.ndcg(at: 2) - 0.296082) < 1e-6)
    }

    @Test func exponentialGainIsTwoToTheGradeMinusOne() {
        // DCG@5 = (2²−1)/log2(3) + (2¹−1)/log2(5) = 3·0.6309298 + 0.4306766 = 2.3234658
        // IDCG@5 = 7 + 3/log2(3) + 1/2 = 7 + 1.8927893 + 0.5 = 9.3927893 → 0.2473670
        #expect(abs(graded.dcg(at: 5, gain: .exponential) - 2.3234658) < 1e-7)
        #expect(abs(graded.ndcg(at: 5, gain: .exponential) - 0.2473670) < 1e-7)
    }

    @Test func reciprocalRankHitAndAveragePrecision() {
        #expect(graded.reciprocalRank == 0.5)  // first relevant b at rank 2
        #expect(graded.hit(at: 1) == 0)
        #expect(graded.hit(at: 2) == 1)
        // AP = (P@2 + P@4) / 3 = (1/2 + 2/4) / 3 = 1/3; the unranked f still counts in the denominator.
        #expect(abs(graded.averagePrecision() - 1.0 / 3) < 1e-15)
        // AP@3 = P@2 / 3 = 1/6 (trec_eval map_cut_3 divides by all relevant, not by min(3, R)).
        #expect(abs(graded.averagePrecision(at: 3) - 1.0 / 6) < 1e-15)
    }

    @Test func impressionWithoutRelevantItemsScoresZero() {
        let none = JudgedRanking(ranking: ["a", "b"], judgements: ["a": 0, "z": 0])
        #expect(none.ndcg(at: 10) == 0)
        #expect(none.recall(at: 10) == 0)
        #expect(none.averagePrecision() == 0)
        #expect(none.reciprocalRank == 0)
        #expect(none.precision(at: 2) == 0)
        let unjudged = JudgedRanking(ranking: ["a"], judgements: [String: Double]())
        #expect(unjudged.ndcg(at: 1) == 0)
    }

    @Test func repeatedItemEarnsNothingTheSecondTime() {
        // b, b, c with b grade 1, c grade 1: grades become 1, 0, 1.
        let repeated = JudgedRanking(ranking: ["b", "b", "c"], judgements: ["b": 1, "c": 1])
        #expect(repeated.grades == [1, 0, 1])
        #expect(abs(repeated.precision(at: 3) - 2.0 / 3) < 1e-15)  // not 3/3
        // AP = (1/1 + 2/3) / 2 = 5/6
        #expect(abs(repeated.averagePrecision() - 5.0 / 6) < 1e-15)
        // NDCG@3 = (1 + 1/log2(4)) / (1 + 1/log2(3)) = 1.5 / 1.630930 = 0.919721
        #expect(abs(repeated.ndcg(at: 3) - 0.919721) < 1e-6)
    }

    @Test func relevanceThresholdDecidesBinaryRelevanceButNotGain() {
        // With threshold 2 only b (grade 2) and f (grade 3) are relevant; d (1) still earns gain.
        let strict = JudgedRanking(
            ranking: ["a", "b", "c", "d"],
            judgements: ["b": 2, "d": 1, "f": 3],
            relevanceThreshold: 2
        )
        #expect(strict.relevantCount == 2)
        #expect(strict.precision(at: 4) == 0.25)
        #expect(strict.recall(at: 4) == 0.5)
        #expect(strict.dcg(at: 4) == 2 / log2(3.0) + 1 / log2(5.0))
        // A fractional online gain of 0.5 counts as relevant once the threshold is "any positive grade",
        // while the judged grade 0 of c never does: relevant {b (0.5)} of judged {b, c}.
        let online = JudgedRanking(ranking: ["c", "b"], judgements: ["b": 0.5, "c": 0], relevanceThreshold: .leastNonzeroMagnitude)
        #expect(online.relevantCount == 1)
        #expect(online.precision(at: 2) == 0.5)
        #expect(online.reciprocalRank == 0.5)
    }

    @Test(arguments: [
        (RankingMetric.precision(10), "P@10"), (.recall(5), "recall@5"), (.ndcg(3), "ndcg@3"),
        (.averagePrecision(100), "map@100"), (.averagePrecision(.max), "map"), (.ndcg(.max), "ndcg"), (.hit(1), "hit@1"), (.reciprocalRank, "mrr"),
        (.dcg(2), "dcg@2"),
    ])
    func metricNames(metric: RankingMetric, name: String) {
        #expect(metric.description == name)
    }

    @Test func metricFamiliesExpandOverCutoffs() throws {
        let families = try RankingMetricFamily.parseList("p, MRR,ndcg,p")
        #expect(families == [.precision, .mrr, .ndcg])
        #expect(families.flatMap { $0.metrics(cutoffs: [5, 10]) } == [.precision(5), .precision(10), .reciprocalRank, .ndcg(5), .ndcg(10)])
        #expect(throws: MetricNameError(name: "auc")) { try RankingMetricFamily.parseList("p,auc") }
    }
}
