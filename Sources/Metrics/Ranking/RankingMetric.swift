import Foundation

/// One named ranking metric at one cutoff, as reports and the `abctl eval` command list them.
public enum RankingMetric: Sendable, Hashable, CustomStringConvertible {
    /// precision@k (trec_eval `P_k`).
    case precision(Int)
    /// recall@k (trec_eval `recall_k`).
    case recall(Int)
    /// NDCG@k (trec_eval `ndcg_cut_k`).
    case ndcg(Int)
    /// DCG@k, unnormalised.
    case dcg(Int)
    /// Average precision over the top k, averaged into MAP@k (trec_eval `map_cut_k`).
    case averagePrecision(Int)
    /// hit@k (ir-measures `Success@k`).
    case hit(Int)
    /// Reciprocal rank of the first relevant item, averaged into MRR (trec_eval `recip_rank`).
    case reciprocalRank

    /// Short stable name used in tables, JSON and CSV: `P@10`, `recall@10`, `ndcg@10`, `dcg@10`,
    /// `map@10`, `hit@10`, `mrr`; a cutoff of `Int.max` (the whole list) drops the suffix (`map`).
    public var description: String {
        func cut(_ k: Int) -> String { k == .max ? "" : "@\(k)" }
        return switch self {
        case .precision(let k): "P" + cut(k)
        case .recall(let k): "recall" + cut(k)
        case .ndcg(let k): "ndcg" + cut(k)
        case .dcg(let k): "dcg" + cut(k)
        case .averagePrecision(let k): "map" + cut(k)
        case .hit(let k): "hit" + cut(k)
        case .reciprocalRank: "mrr"
        }
    }

    /// The metric's value for one judged ranking.
    public func value(for ranking: JudgedRanking, gain: Gain = .linear) -> Double {
        switch self {
        case .precision(let k): ranking.precision(at: k)
        case .recall(let k): ranking.recall(at: k)
        case .ndcg(let k): ranking.ndcg(at: k, gain: gain)
        case .dcg(let k): ranking.dcg(at: k, gain: gain)
        case .averagePrecision(let k): ranking.averagePrecision(at: k)
        case .hit(let k): ranking.hit(at: k)
        case .reciprocalRank: ranking.reciprocalRank
        }
    }
}

/// A metric name without its cutoff, as typed on the command line (`p,ndcg,map,mrr,recall,hit`).
public enum RankingMetricFamily: String, Sendable, Hashable, CaseIterable {
    case precision = "p"
    case recall
    case ndcg
    case dcg
    case map
    case mrr
    case hit

    /// The metrics of this family at each cutoff; MRR has no cutoff and yields one metric.
    public func metrics(cutoffs: [Int]) -> [RankingMetric] {
        switch self {
        case .precision: cutoffs.map(RankingMetric.precision)
        case .recall: cutoffs.map(RankingMetric.recall)
        case .ndcg: cutoffs.map(RankingMetric.ndcg)
        case .dcg: cutoffs.map(RankingMetric.dcg)
        case .map: cutoffs.map(RankingMetric.averagePrecision)
        case .hit: cutoffs.map(RankingMetric.hit)
        case .mrr: [.reciprocalRank]
        }
    }

    /// Parses a comma-separated list of family names (case-insensitive; `precision` is accepted for `p`).
    public static func parseList(_ text: String) throws(MetricNameError) -> [RankingMetricFamily] {
        var families: [RankingMetricFamily] = []
        for raw in text.split(separator: ",") {
            let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
            guard let family = RankingMetricFamily(rawValue: name == "precision" ? "p" : name) else {
                throw MetricNameError(name: name)
            }
            if !families.contains(family) { families.append(family) }
        }
        return families
    }
}

/// A metric name that is not one of `RankingMetricFamily`.
public struct MetricNameError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The unknown name as typed.
    public let name: String

    public var description: String {
        let known = RankingMetricFamily.allCases.map(\.rawValue).joined(separator: ", ")
        return "unknown metric '\(name)'; use one of \(known)"
    }
}
