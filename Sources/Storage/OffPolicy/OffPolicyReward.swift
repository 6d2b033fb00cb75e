/// The per-impression reward an off-policy evaluation estimates, with the evaluator's definitions
/// (sql/0003_evaluator.sql): ranking rewards from `abctl_impression_metrics`, event rewards with
/// the same attribution rule.
public enum OffPolicyReward: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Clicks attributed to the impression (the per-impression numerator of CTR).
    case clicks
    /// 1 when a purchase was attributed to the impression.
    case conversion
    /// Purchase value attributed to the impression.
    case revenue
    /// precision@K of the impression.
    case precision
    /// NDCG@K of the impression.
    case ndcg
    /// Reciprocal rank of the first relevant item in the top K.
    case mrr
    /// 1 when a relevant item is in the top K.
    case hit
    /// The relevance grade (the spec's gains, highest event) of the item at position 1: the reward
    /// of item-level evaluation, where the action is the top item.
    case topItem = "top_item"

    /// The reward for a spec metric name: `ctr` → clicks, `ndcg@10` → ndcg, …
    public init?(metric: String) {
        let family = metric.split(separator: "@").first.map(String.init)?.lowercased() ?? ""
        switch family {
        case "ctr", "clicks": self = .clicks
        case "conversion": self = .conversion
        case "revenue", "revenue_per_unit": self = .revenue
        default:
            guard let reward = OffPolicyReward(rawValue: family) else { return nil }
            self = reward
        }
    }

    /// The SQL expression over `m`, a row of abctl_impression_metrics.
    var expression: String {
        switch self {
        case .clicks: "COALESCE(m.clicks, 0)::double precision"
        case .conversion: "CASE WHEN m.purchases > 0 THEN 1.0 ELSE 0.0 END"
        case .revenue: "COALESCE(m.revenue, 0)"
        case .precision: "m.precision_k"
        case .ndcg: "m.ndcg_k"
        case .mrr: "m.mrr"
        case .hit: "m.hit_k"
        case .topItem: "top.grade"
        }
    }

    public var description: String { rawValue }
}
