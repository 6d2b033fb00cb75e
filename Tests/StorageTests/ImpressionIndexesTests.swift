import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

@testable import Storage

/// Every decision writes an impression, so each index on impressions costs PostgreSQL CPU on
/// the decision path (sql/0011). The set kept is what the queries need: the primary key for
/// deduplicated replays, and (experiment, created_at) for every reader, all of which select
/// one experiment over a time range (sql/0003, 0006, 0007, the OPE reader, the dashboards).
@Suite struct ImpressionIndexesTests {
    func migrated(_ db: PostgresConnection) throws {
        try Migrator(migrations: try Migration.load(from: TestDatabase.repositoryRoot.appendingPathComponent("sql"))).migrate(db)
    }

    /// The indexes of `table` as their column lists, e.g. "(request_id, created_at)".
    func indexColumns(of table: String, on db: PostgresConnection) throws -> Set<String> {
        Set(
            try db.query("SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = \(table)::regclass").map { row in
                let definition = try row.decode(String.self, at: 0)
                return String(definition[definition.lastIndex(of: "(")!...])
            }
        )
    }

    @Test func impressionsKeepOnlyTheKeyAndTheExperimentTimeIndex() throws {
        try TestDatabase.withFreshConnection { db in
            try migrated(db)
            let expected: Set = ["(request_id, created_at)", "(experiment, created_at)"]
            #expect(try indexColumns(of: "impressions", on: db) == expected)
            // The daily partitions (made by 0002's abctl_ensure_partitions) and the default one inherit exactly these.
            let partitions = try db.query("SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'impressions'::regclass")
                .map { try $0.decode(String.self, at: 0) }
            #expect(partitions.count >= 2)
            for partition in partitions {
                #expect(try indexColumns(of: partition, on: db) == expected, "partition \(partition)")
            }
        }
    }

    @Test func oneExperimentsTimeWindowIsStillReadThroughAnIndex() throws {
        try TestDatabase.withFreshConnection { db in
            try migrated(db)
            // 20 experiments interleaved over the last hours: one of them is 5 % of the rows.
            try db.executeScript(
                """
                INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores,
                                         propensity, allocation_version, created_at)
                SELECT gen_random_uuid(), 'e' || (n % 20), 1, 'a', 'u' || n, ARRAY['i1'], ARRAY[1.0], 1, 0,
                       now() - interval '6 hours' + n * interval '500 ms'
                FROM generate_series(1, 40000) n;
                ANALYZE impressions;
                """
            )
            let plan = try db.query(
                "EXPLAIN SELECT unit_id, arm FROM impressions WHERE experiment = 'e3' AND created_at >= now() - interval '2 hours' AND created_at < now()"
            ).map { try $0.decode(String.self, at: 0) }.joined(separator: "\n")
            #expect(plan.contains("experiment_created_at_idx"), "plan:\n\(plan)")
            #expect(!plan.contains("Seq Scan"), "plan:\n\(plan)")
        }
    }
}
