import Foundation
import PostgresClient
import Strategies

/// Reads what strategies learn from: the interactions table and the item catalogue.
public struct TrainingDataStore {
    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Interactions in [since, until), oldest first; with `includeFeedback`, the feedback
    /// events logged by the decision service too (what the live arms' users did), so a refit
    /// learns from the experiment's own traffic. Rows at the same time come in the order they
    /// were stored (`import_order`, sql/0014: the file's order for `abctl import`), then
    /// feedback after interactions, by arrival and event id, so a leave-last-out split is the
    /// same on every run and can be reproduced outside abctl.
    public func interactions(
        since: Date = .distantPast,
        until: Date = .distantFuture,
        includeFeedback: Bool = false
    ) throws -> [Interaction] {
        let query: PostgresQuery =
            includeFeedback
            ? """
            SELECT unit_id, item_id, event_type, value, extract(epoch FROM at)::float8 FROM (
                SELECT unit_id, item_id, event_type, value, occurred_at AS at,
                       0 AS source, import_order AS stored, NULL::timestamptz AS received, '' AS event
                FROM interactions
                WHERE occurred_at >= \(since) AND occurred_at < \(until)
                UNION ALL
                SELECT unit_id, item_id, event_type, value, created_at, 1, 0, received_at, event_id FROM feedback
                WHERE created_at >= \(since) AND created_at < \(until)
            ) logged ORDER BY at, source, stored, received, event
            """
            : """
            SELECT unit_id, item_id, event_type, value, extract(epoch FROM occurred_at)::float8
            FROM interactions WHERE occurred_at >= \(since) AND occurred_at < \(until)
            ORDER BY occurred_at, import_order
            """
        return try connection.query(query).map { row in
            let (unit, item, event, value, time) = try row.decode((String, String, String, Double, Double).self)
            return Interaction(unit: unit, item: item, event: event, value: value, time: time)
        }
    }

    /// The catalogue: every item with its text and string attributes (JSON values as text);
    /// items that appear only in interactions are added without text.
    public func catalogue(including interactions: [Interaction] = []) throws -> ItemCatalogue {
        var items: [CatalogueItem] = []
        var known = Set<String>()
        for row in try connection.query("SELECT item_id, title, body, attributes::text FROM items ORDER BY item_id") {
            let (id, title, body, attributesJSON) = try row.decode((String, String, String, String).self)
            let object = (try? JSONSerialization.jsonObject(with: Data(attributesJSON.utf8))) as? [String: Any] ?? [:]
            var attributes: [String: String] = [:]
            for (key, value) in object {
                attributes[key] = (value as? String) ?? "\(value)"
            }
            items.append(CatalogueItem(id: id, title: title, text: body, attributes: attributes))
            known.insert(id)
        }
        for interaction in interactions where !known.contains(interaction.item) {
            known.insert(interaction.item)
            items.append(CatalogueItem(id: interaction.item))
        }
        return ItemCatalogue(items: items)
    }
}
