import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

/// Values travel as bind parameters, never as SQL text: hostile strings come back
/// byte-for-byte and cannot change the statement.
@Suite struct BindingTests {
    static let hostileStrings = [
        "O'Reilly", "'; DROP TABLE t; --", "\"quoted\"", "back\\slash\\\\", "semi;colon", "$1 $2 ?", "tab\tnew\nline\r",
        "Ünïcödé ✓ 日本語 עברית 🚀👩🏽‍💻", "e\u{301} combining", "", String(repeating: "x", count: 100_000),
    ]

    @Test(arguments: hostileStrings)
    func hostileStringsRoundTripAndCannotInject(value: String) throws {
        try TestDatabase.withFreshConnection { db in
            try db.executeScript("CREATE TABLE t (v text)")
            try db.execute("INSERT INTO t (v) VALUES (\(value))")
            let rows = try db.query("SELECT v FROM t WHERE v = \(value)")
            #expect(rows.count == 1)
            #expect(try rows[0].decode(String.self, at: 0) == value)
            // The table survived whatever the string said.
            #expect(try db.query("SELECT count(*) FROM t")[0].decode(Int.self, at: 0) == 1)
        }
    }

    @Test func aNulByteIsRefusedWithAClearErrorAndNothingIsWritten() throws {
        try TestDatabase.withFreshConnection { db in
            try db.executeScript("CREATE TABLE t (v text)")
            #expect {
                try db.execute("INSERT INTO t (v) VALUES (\("before\u{0}after"))")
            } throws: { error in
                let error = try #require(error as? PostgresError)
                return error.kind == .encoding && error.description.contains("NUL byte")
                    && !error.description.contains("before")  // the value itself is never printed
            }
            #expect(try db.query("SELECT count(*) FROM t")[0].decode(Int.self, at: 0) == 0)
        }
    }

    @Test func nullsBindAndDecodeAsOptionals() throws {
        try TestDatabase.withFreshConnection { db in
            try db.executeScript("CREATE TABLE t (a text, b bigint, c double precision)")
            let none: String? = nil
            let count: Int64? = nil
            try db.execute("INSERT INTO t VALUES (\(none), \(count), \(Optional(2.5)))")
            let row = try db.query("SELECT a, b, c, a IS NULL AS a_null FROM t")[0]
            #expect(try row.decode(String?.self, column: "a") == nil)
            #expect(try row.decode(Int64?.self, column: "b") == nil)
            #expect(try row.decode(Double?.self, column: "c") == 2.5)
            #expect(try row.decode(Bool.self, column: "a_null"))
            // Reading NULL as a non-optional names the column and the type.
            #expect {
                try row.decode(String.self, column: "a")
            } throws: { error in
                "\(error)".contains("\"a\"") && "\(error)".contains("non-optional String")
            }
        }
    }

    @Test func decodingErrorsNameTheColumnAndTheTypes() throws {
        try TestDatabase.withFreshConnection { db in
            let row = try db.query("SELECT 'abc'::text AS word, true AS flag")[0]
            #expect {
                try row.decode(Int64.self, column: "word")
            } throws: { error in
                "\(error)" == "Column \"word\" of type text cannot be read as Int64"
            }
            #expect {
                try row.decode(Int64.self, column: "missing")
            } throws: { error in
                "\(error)".contains("no column \"missing\"") && "\(error)".contains("\"word\", \"flag\"")
            }
        }
    }

    @Test func identifiersAreQuoted() {
        #expect(PostgresQuery.quoteIdentifier("plain") == "\"plain\"")
        #expect(PostgresQuery.quoteIdentifier("we\"ird") == "\"we\"\"ird\"")
        let query: PostgresQuery = "SELECT * FROM \(identifier: "t") WHERE a = \(1) AND b = \("x")"
        #expect(query.sql == "SELECT * FROM \"t\" WHERE a = $1 AND b = $2")
        #expect(query.bindings.count == 2)
        #expect(!"\(query.bindings)".contains("x\""))  // descriptions never show values
    }
}
