import PostgresClient

/// How one event table is written: COPY into a session-local staging table, then
/// `INSERT … ON CONFLICT DO NOTHING` into the table, so retries and replays of an event
/// (same key) are stored once, and each new row is credited to the first batch carrying it.
struct StagedInsert<Event>: Sendable {
    /// The table written, e.g. `feedback`.
    var table: String
    /// The table's columns in the order `appendRow` writes them, with their SQL types.
    var columns: [(name: String, type: String)]
    /// The table's primary key columns.
    var key: [String]
    /// Writes one event's columns, in `columns` order.
    var appendRow: @Sendable (Event, inout CopyWriter) throws -> Void

    func insert(batches: [[Event]], on db: PostgresConnection) throws -> [Int] {
        guard batches.contains(where: { !$0.isEmpty }) else { return batches.map { _ in 0 } }
        let staging = "\(table)_group_staging"
        let names = columns.map(\.name).joined(separator: ", ")
        let keyList = key.joined(separator: ", ")
        return try db.transaction { db in
            try db.executeScript(
                """
                SET LOCAL client_min_messages TO warning;
                CREATE TEMP TABLE IF NOT EXISTS \(staging) (
                    batch integer, seq integer, \(columns.map { "\($0.name) \($0.type)" }.joined(separator: ", "))
                ) ON COMMIT DELETE ROWS
                """
            )
            try db.copyIn(PostgresQuery(unsafeSQL: "COPY \(staging) (batch, seq, \(names)) FROM STDIN")) { writer in
                var seq = 0
                for (batch, events) in batches.enumerated() {
                    for event in events {
                        try writer.appendRow { row in
                            row.append(batch)
                            row.append(seq)
                            try appendRow(event, &row)
                        }
                        seq += 1
                    }
                }
                return false
            }
            // In key order, so concurrent transactions take the key's index entries in one order
            // and never deadlock (PostgreSQL would notice only after deadlock_timeout, 1 s);
            // of copies of one event, the first batch's is stored.
            let insert = """
                INSERT INTO \(table) (\(names))
                SELECT DISTINCT ON (\(keyList)) \(names)
                FROM \(staging) ORDER BY \(keyList), seq
                ON CONFLICT DO NOTHING
                """
            guard batches.count > 1 else { return [try db.execute(PostgresQuery(unsafeSQL: insert))] }
            // Each new row is credited to the batch of its first copy in the group.
            let rows = try db.query(
                PostgresQuery(
                    unsafeSQL: """
                        WITH new AS (\(insert) RETURNING \(keyList)),
                        first AS (
                            SELECT DISTINCT ON (\(keyList)) \(keyList), batch
                            FROM \(staging) ORDER BY \(keyList), seq
                        )
                        SELECT first.batch, count(*) FROM new JOIN first USING (\(keyList)) GROUP BY first.batch
                        """
                )
            )
            var counts = batches.map { _ in 0 }
            for row in rows {
                let (batch, count) = try row.decode((Int, Int).self)
                counts[batch] = count
            }
            return counts
        }
    }
}
