import Foundation
import PostgresClient

/// Streams an experiment's logged impressions with their rewards out of PostgreSQL through a
/// server-side cursor (`DECLARE … CURSOR`, `FETCH batchSize`), so memory stays at one batch
/// whatever the size of the logs. Rewards come from `abctl_impression_metrics` (sql/0003).
public struct OffPolicyLogReader {
    /// What to read: the experiment, the reward and its attribution settings, the features.
    public struct Settings: Sendable {
        public var experiment: String
        public var reward: OffPolicyReward
        public var features: [ContextFeature]
        /// K of the ranking rewards.
        public var k: Int
        /// Seconds after an impression during which feedback counts.
        public var attributionWindow: Double
        public var gains: [String: Double]
        public var exponentialGain: Bool
        /// Impressions shown in [since, until) are read; fix `until` so that two passes see the same rows.
        public var since: Date
        public var until: Date
        /// Whether to read the ranked item ids (item-level evaluation needs them).
        public var includesItems: Bool

        public init(
            experiment: String,
            reward: OffPolicyReward,
            features: [ContextFeature] = [],
            k: Int = 10,
            attributionWindow: Double = 86_400,
            gains: [String: Double] = ["click": 1, "add_to_cart": 2, "purchase": 3],
            exponentialGain: Bool = false,
            since: Date = .distantPast,
            until: Date,
            includesItems: Bool = false
        ) {
            self.experiment = experiment
            self.reward = reward
            self.features = features
            self.k = k
            self.attributionWindow = attributionWindow
            self.gains = gains
            self.exponentialGain = exponentialGain
            self.since = since
            self.until = until
            self.includesItems = includesItems
        }
    }

    let connection: PostgresConnection
    /// What this reader reads.
    public let settings: Settings

    /// A reader of `settings` over `connection` (used by one task at a time, like the connection).
    public init(connection: PostgresConnection, settings: Settings) {
        self.connection = connection
        self.settings = settings
    }

    /// The arms that served impressions in the range, sorted, with their impression counts.
    public func arms() throws -> [(arm: String, impressions: Int)] {
        let rows = try connection.query(
            """
            SELECT arm, count(*) FROM impressions
            WHERE experiment = \(settings.experiment) AND created_at >= \(settings.since) AND created_at < \(settings.until)
            GROUP BY arm ORDER BY arm
            """
        )
        return try rows.map { row in
            let (arm, count) = try row.decode((String, Int).self)
            return (arm, count)
        }
    }

    /// The distinct items shown at position 1 in the range, sorted: the actions of item-level evaluation.
    public func topItems() throws -> [String] {
        let rows = try connection.query(
            """
            SELECT DISTINCT item_ids[1] FROM impressions
            WHERE experiment = \(settings.experiment) AND created_at >= \(settings.since) AND created_at < \(settings.until)
              AND cardinality(item_ids) > 0
            ORDER BY 1
            """
        )
        return try rows.map { try $0.decode(String.self, at: 0) }
    }

    /// Calls `body` with every impression in the range, in batches of `batchSize` rows fetched from
    /// a cursor inside one read-only transaction. Throws `StorageError` naming the request when a
    /// requested context feature is missing or not a number.
    public func stream(batchSize: Int = 10_000, _ body: (LoggedImpression) throws -> Void) throws {
        precondition(batchSize > 0, "batchSize must be positive")
        let statement = declaration()
        try connection.transaction { db in
            // Every row will be fetched: plan for the whole result (hash joins), not for the first 10%.
            try db.executeScript("SET TRANSACTION READ ONLY; SET LOCAL cursor_tuple_fraction = 1.0")
            try db.execute(statement)
            defer { _ = try? db.executeScript("CLOSE abctl_ope_logs") }
            let fetch = PostgresQuery(unsafeSQL: "FETCH \(batchSize) FROM abctl_ope_logs")
            while true {
                let rows = try db.query(fetch)
                for row in rows { try body(try decode(row)) }
                if rows.count < batchSize { break }
            }
        }
    }

    private func decode(_ row: PostgresRow) throws -> LoggedImpression {
        let (requestID, arm, propensity, reward) = try row.decode((String, String, Double, Double).self)
        var context: [Double] = []
        context.reserveCapacity(settings.features.count)
        for (index, feature) in settings.features.enumerated() {
            guard let value = try row.decode(Double?.self, at: 4 + index) else {
                throw StorageError(
                    "impression \(requestID) has no numeric context value for '\(feature.key)'",
                    advice: "Name only numeric keys, or use \(feature.key)=VALUE for an indicator of a text value"
                )
            }
            context.append(value)
        }
        let items = settings.includesItems ? try row.decode([String].self, at: 4 + settings.features.count) : []
        let unit = settings.includesItems ? try row.decode(String.self, at: 5 + settings.features.count) : ""
        return LoggedImpression(
            requestID: requestID,
            arm: arm,
            unitID: unit,
            itemIDs: items,
            propensity: propensity,
            context: context,
            reward: reward
        )
    }

    /// `DECLARE abctl_ope_logs CURSOR FOR SELECT …` with every value a bind parameter.
    func declaration() -> PostgresQuery {
        var bindings: [PostgresBinding] = []
        func parameter(_ value: some PostgresEncodable) -> String {
            bindings.append(PostgresBinding(value))
            return "$\(bindings.count)"
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let gains = String(decoding: (try? encoder.encode(settings.gains)) ?? Data("{}".utf8), as: UTF8.self)
        let experiment = parameter(settings.experiment)
        var columns = ["i.request_id", "i.arm", "i.propensity", settings.reward.expression]
        for feature in settings.features {
            let key = parameter(feature.key)
            if let equals = feature.equals {
                columns.append("CASE WHEN i.context ->> \(key)::text = \(parameter(equals))::text THEN 1.0 ELSE 0.0 END")
            } else {
                columns.append(
                    """
                    CASE jsonb_typeof(i.context -> \(key)::text) WHEN 'number' THEN (i.context ->> \(key)::text)::double precision \
                    WHEN 'boolean' THEN CASE WHEN (i.context ->> \(key)::text)::boolean THEN 1.0 ELSE 0.0 END END
                    """
                )
            }
        }
        if settings.includesItems { columns += ["i.item_ids", "i.unit_id"] }
        let gainsParameter = parameter(gains)
        let windowParameter = parameter(settings.attributionWindow)
        let window = "\(windowParameter) * interval '1 second'"
        let since = parameter(settings.since)
        let until = parameter(settings.until)
        let range = "i.experiment = \(experiment)::text AND i.created_at >= \(since) AND i.created_at < \(until)"
        let source: String
        switch settings.reward {
        case .precision, .ndcg, .mrr, .hit:
            // Ranking rewards: the evaluator's per-impression metrics, joined back for propensity and context.
            source = """
                FROM abctl_impression_metrics(\(experiment)::text, \(parameter(settings.k))::integer, \(window), \(gainsParameter)::jsonb,
                     \(parameter(settings.exponentialGain)), \(since), \(until)) m
                JOIN impressions i ON i.request_id = m.request_id AND i.created_at = m.created_at AND i.experiment = \(experiment)::text
                """
        case .clicks, .conversion, .revenue:
            // Event rewards: the same attribution as sql/0003's `events` step (feedback with the request
            // id inside [shown, shown + window]), aggregated once and hash-joined, so the impressions are
            // scanned without the evaluator's ranking work or a join of the impressions with themselves.
            source = """
                FROM impressions i
                LEFT JOIN (
                    SELECT a.request_id,
                           count(*) FILTER (WHERE f.event_type = 'click') AS clicks,
                           count(*) FILTER (WHERE f.event_type = 'purchase') AS purchases,
                           COALESCE(sum(f.value) FILTER (WHERE f.event_type = 'purchase'), 0) AS revenue
                    FROM impressions a
                    JOIN feedback f ON f.request_id = a.request_id AND f.created_at >= a.created_at
                         AND f.created_at <= a.created_at + \(window)
                    WHERE a.experiment = \(experiment)::text AND a.created_at >= \(since) AND a.created_at < \(until)
                    GROUP BY a.request_id
                ) m ON m.request_id = i.request_id
                WHERE \(range)
                """
        case .topItem:
            // Item-level reward: the grade of the item at position 1, the highest gain of its events in the window.
            source = """
                FROM impressions i
                CROSS JOIN LATERAL (
                    SELECT COALESCE(max(COALESCE((\(gainsParameter)::jsonb ->> f.event_type)::double precision, 0)), 0) AS grade
                    FROM feedback f
                    WHERE f.request_id = i.request_id AND f.item_id = i.item_ids[1]
                      AND f.created_at >= i.created_at AND f.created_at <= i.created_at + \(window)
                ) top
                WHERE \(range)
                """
        }
        let sql = "DECLARE abctl_ope_logs NO SCROLL CURSOR FOR SELECT \(columns.joined(separator: ", "))\n\(source)"
        return PostgresQuery(unsafeSQL: sql, bindings: bindings)
    }
}
