import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

/// Every column type the schema uses round-trips through bind parameters and text results.
@Suite struct ColumnTypeTests {
    struct Context: Codable, Equatable, Sendable {
        var country: String
        var device: String?
        var age: Int
    }

    @Test func everySchemaTypeRoundTrips() throws {
        try TestDatabase.withFreshConnection { db in
            try db.executeScript(
                """
                CREATE TABLE t (
                    i8 bigint, i4 integer, f8 double precision, b boolean, s text, ts timestamptz,
                    id uuid, j jsonb, texts text[], floats double precision[], raw bytea, ints bigint[]
                )
                """
            )
            // 2026-11-29 05:50:32.123456 UTC, as seconds since 1970: 1795931432.123456
            // (1795910400 is 2026-11-29 00:00:00 UTC: 20786 days × 86400).
            let time = Date(timeIntervalSince1970: 1_795_931_432.123456)
            let id = UUID(uuidString: "123E4567-E89B-12D3-A456-426614174000")!
            let context = Context(country: "de", device: nil, age: 31)
            let texts = ["a", "b c", "d\"e", "f\\g", "NULL", "", "{x,y}"]
            let floats = [1.5, -0.0, 1e-300, .infinity, -.infinity]
            let raw = Data([0, 1, 2, 254, 255])
            try db.execute(
                """
                INSERT INTO t VALUES (\(Int64.max), \(Int32.min), \(0.1), \(true), \("x"), \(time), \(id),
                    \(PostgresJSON(context)), \(texts), \(floats), \(raw), \([Int64(1), -2, 3]))
                """
            )
            let row = try db.query("SELECT * FROM t")[0]
            #expect(try row.decode(Int64.self, column: "i8") == Int64.max)
            #expect(try row.decode(Int32.self, column: "i4") == Int32.min)
            #expect(try row.decode(Double.self, column: "f8") == 0.1)
            #expect(try row.decode(Bool.self, column: "b") == true)
            #expect(try row.decode(String.self, column: "s") == "x")
            let storedTime = try row.decode(Date.self, column: "ts")
            #expect(abs(storedTime.timeIntervalSince1970 - 1_795_931_432.123456) < 1e-6)
            #expect(try row.decode(String.self, column: "ts") == "2026-11-29 05:50:32.123456+00")
            #expect(try row.decode(UUID.self, column: "id") == id)
            #expect(try row.decode(PostgresJSON<Context>.self, column: "j").value == context)
            #expect(try row.decode([String].self, column: "texts") == texts)
            #expect(try row.decode([Double].self, column: "floats") == floats)
            #expect(try row.decode(Data.self, column: "raw") == raw)
            #expect(try row.decode([Int64].self, column: "ints") == [1, -2, 3])
        }
    }

    @Test func nanAndTheServersOwnTimestampsDecode() throws {
        try TestDatabase.withFreshConnection { db in
            let row = try db.query(
                """
                SELECT 'NaN'::float8 AS nan, '2000-01-01 00:00:00+00'::timestamptz AS y2k,
                       '2000-01-01 00:00:00+05:30'::timestamptz AS offset_time, ARRAY['a', NULL]::text[] AS with_null
                """
            )[0]
            #expect(try row.decode(Double.self, column: "nan").isNaN)
            // 2000-01-01T00:00:00Z is 946684800 s after the epoch (10957 days × 86400).
            #expect(try row.decode(Date.self, column: "y2k").timeIntervalSince1970 == 946_684_800)
            #expect(try row.decode(Date.self, column: "offset_time").timeIntervalSince1970 == 946_684_800 - 19_800)
            #expect(try row.decode([String?].self, column: "with_null") == ["a", nil])
            #expect(throws: PostgresError.self) { try row.decode([String].self, column: "with_null") }
        }
    }

    @Test func tupleDecoding() throws {
        try TestDatabase.withFreshConnection { db in
            let (a, b, c) = try db.query("SELECT 7::bigint, 'seven', 7.5::float8")[0].decode((Int64, String, Double).self)
            #expect(a == 7 && b == "seven" && c == 7.5)
        }
    }

    /// A row past the end is an error that says so, not libpq's NULL for "no such row" (which
    /// an optional decode would have turned into a silent nil).
    @Test func aRowPastTheEndIsAnError() throws {
        try TestDatabase.withFreshConnection { db in
            let rows = try db.query("SELECT 1::int WHERE false")
            #expect(rows.isEmpty)
            #expect(throws: PostgresError.self) { try rows[0].decode(Int?.self, at: 0) }
        }
    }
}
