import PostgresClient
import Spec
import Strategies

/// Ranks every arm by all-time popularity: the number of interactions per item, items
/// without any at score 0, ties broken by item id. `StrategyRanker` serves it for an arm
/// whose strategy is not ready yet (no model file and not fitted yet).
public struct PopularityRanker: Ranker {
    /// Items by descending score.
    public let ranked: [(itemID: String, score: Double)]

    public init(counts: [String: Double]) {
        ranked = counts.map { (itemID: $0.key, score: $0.value) }.sorted { ($0.score, $1.itemID) > ($1.score, $0.itemID) }
    }

    /// Counts the interactions per item; catalogue items without any score 0.
    public init(interactions: [Interaction], catalogue: ItemCatalogue) {
        var counts = Dictionary(catalogue.items.map { ($0.id, 0.0) }, uniquingKeysWith: { first, _ in first })
        for interaction in interactions { counts[interaction.item, default: 0] += 1 }
        self.init(counts: counts)
    }

    /// Loads the counts from the `interactions` and `items` tables.
    public static func load(from db: PostgresConnection) throws -> PopularityRanker {
        let rows = try db.query(
            """
            SELECT item_id, sum(n)::double precision FROM (
                SELECT item_id, count(*) AS n FROM interactions GROUP BY item_id
                UNION ALL
                SELECT item_id, 0 FROM items
            ) counted GROUP BY item_id
            """
        )
        var counts: [String: Double] = [:]
        for row in rows {
            let (item, count) = try row.decode((String, Double).self)
            counts[item] = count
        }
        return PopularityRanker(counts: counts)
    }

    public func rank(_ request: RankRequest) -> [(itemID: String, score: Double)] {
        var result: [(itemID: String, score: Double)] = []
        result.reserveCapacity(request.k)
        for entry in ranked where !request.exclude.contains(entry.itemID) {
            guard result.count < request.k else { break }
            result.append(entry)
        }
        return result
    }

    /// Popularity never suspends: the same list as `rank`.
    public func rankImmediately(_ request: RankRequest) -> [(itemID: String, score: Double)]? {
        rank(request)
    }
}
