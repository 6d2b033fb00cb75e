import Foundation
import PostgresClient
import Spec

/// A declared metric's SQL source (`source: {sql: ...}`): a query over the shop's own tables
/// returning `unit_id`, `timestamp` and `value`, always run as the read-only role
/// `abctl_reader` in a read-only transaction (or savepoint), and wrapped as a subquery in
/// FROM, where PostgreSQL accepts nothing but a query that reads (no INSERT, UPDATE, DELETE,
/// nor a WITH holding one).
public enum OutcomeSQLSource {
    /// The role SQL sources are read as (sql/0004).
    static let role = "abctl_reader"

    /// Why a SQL source was refused: PostgreSQL's own words, or a column it lacks.
    public struct Problem: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// Type names accepted for each column.
    static let unitTypes: Set<String> = ["text", "character varying", "uuid", "bigint", "integer", "smallint", "character"]
    static let timeTypes: Set<String> = ["timestamp with time zone", "timestamp without time zone", "date"]
    static let valueTypes: Set<String> = ["double precision", "real", "numeric", "bigint", "integer", "smallint"]

    /// Asks PostgreSQL to describe `sql` (as `abctl_reader`, read-only, no row read) and
    /// checks its columns: unit_id, timestamp and value, of usable types. Returns the column
    /// names and types PostgreSQL described.
    @discardableResult
    public static func check(_ sql: String, on db: PostgresConnection) throws -> [(name: String, type: String)] {
        let described: [(name: String, type: String)]
        do {
            described = try asReader(db, inTransaction: false) {
                let rows = try db.query(PostgresQuery(unsafeSQL: "SELECT * FROM (\(sql)) AS abctl_sql_source LIMIT 0"))
                let oids = rows.columnTypeOIDs.map { Int64($0) }
                let names = try db.query("SELECT t.oid::bigint, format_type(t.oid, NULL) FROM pg_type t WHERE t.oid = ANY(\(oids))")
                var types: [Int64: String] = [:]
                for row in names {
                    let (oid, name) = try row.decode((Int64, String).self)
                    types[oid] = name
                }
                return zip(rows.columns, oids).map { ($0, types[$1] ?? "unknown") }
            }
        } catch let error as PostgresError {
            throw Problem(description: "PostgreSQL refuses the query as \(role) in a read-only transaction: \(error.message)\(hint(error.message))")
        }
        let byName = Dictionary(described.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
        let listed = described.map { "\($0.name) \($0.type)" }.joined(separator: ", ")
        for (column, accepted, example) in [
            ("unit_id", unitTypes, "user_id AS unit_id"), ("timestamp", timeTypes, "created_at AS timestamp"),
            ("value", valueTypes, "amount AS value"),
        ] {
            guard let type = byName[column] else {
                throw Problem(description: "The query returns no column \(column) (it returns \(listed)); name one, e.g. \(example)")
            }
            guard accepted.contains(type) else {
                throw Problem(description: "Column \(column) is \(type); it must be one of \(accepted.sorted().joined(separator: ", "))")
            }
        }
        return described
    }

    private static func hint(_ message: String) -> String {
        message.contains("permission denied") ? "; grant it: GRANT SELECT ON <table> TO \(role)" : ""
    }

    /// Runs `body` as `abctl_reader`, read-only: inside a savepoint rolled back afterwards when
    /// the connection is in a transaction, else in a read-only transaction of its own; as is
    /// when the session already is `abctl_reader` (the dashboard's read-only transaction).
    static func asReader<T>(_ db: PostgresConnection, inTransaction: Bool, _ body: () throws -> T) throws -> T {
        if try db.query("SELECT current_user::text")[0].decode(String.self, at: 0) == role { return try body() }
        let setRole = "SET LOCAL ROLE \(PostgresQuery.quoteIdentifier(role))"
        guard inTransaction else {
            return try db.transaction { db in
                try db.executeScript("SET TRANSACTION READ ONLY; \(setRole)")
                return try body()
            }
        }
        try db.executeScript("SAVEPOINT abctl_sql_source; SET LOCAL transaction_read_only = on; \(setRole)")
        do {
            let value = try body()
            try db.executeScript("ROLLBACK TO SAVEPOINT abctl_sql_source; RELEASE SAVEPOINT abctl_sql_source")
            return value
        } catch {
            try? db.executeScript("ROLLBACK TO SAVEPOINT abctl_sql_source; RELEASE SAVEPOINT abctl_sql_source")
            throw error
        }
    }

    /// Per (arm, unit) exposed in `exposures` (arm, unit_id, period, first_seen): the rows of
    /// `source`'s query in its window, n and total, as `abctl_outcome_unit_values` gives them
    /// for events; `index` is the source's number in the cell query.
    static func unitValuesSQL(index: Int, source: OutcomeMetricSource, exposures: String) -> String {
        let sql = source.sql ?? "SELECT NULL::text AS unit_id, NULL::timestamptz AS timestamp, NULL::float8 AS value WHERE false"
        let end = source.endSeconds.map { "AND s.ts < x.first_seen + \($0) * interval '1 second'" } ?? ""
        return """
            SELECT \(index)::integer AS source, x.arm, x.unit_id, x.period, date_trunc('day', x.first_seen, 'UTC') AS day,
                   count(s.ts)::double precision AS n, COALESCE(sum(COALESCE(s.value, 0)), 0)::double precision AS total
            FROM \(exposures) x
            LEFT JOIN (
                SELECT q.unit_id::text AS unit_id, q."timestamp"::timestamptz AS ts, q.value::double precision AS value
                FROM (\(sql)) AS q
            ) s ON s.unit_id = x.unit_id AND s.ts >= x.first_seen + \(source.startSeconds) * interval '1 second' \(end)
            GROUP BY x.arm, x.unit_id, x.period, x.first_seen
            """
    }
}
