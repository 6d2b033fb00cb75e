import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

@Suite struct TransactionAndCopyTests {
    @Test func aFailingStatementRollsBackItsTransaction() throws {
        try TestDatabase.withFreshConnection { db in
            try db.executeScript("CREATE TABLE t (id bigint PRIMARY KEY)")
            #expect {
                try db.transaction { tx in
                    try tx.execute("INSERT INTO t VALUES (\(1))")
                    try tx.execute("INSERT INTO t VALUES (\(2))")
                    try tx.execute("INSERT INTO t VALUES (\(1))")  // duplicate key: fails
                }
            } throws: { error in
                let error = try #require(error as? PostgresError)
                // 23505 is unique_violation; the statement (not the values) is reported.
                return error.sqlState == "23505" && error.isIntegrityViolation && error.statement == "INSERT INTO t VALUES ($1)"
            }
            #expect(try db.query("SELECT count(*) FROM t")[0].decode(Int.self, at: 0) == 0)
            // The connection is usable afterwards, outside any transaction.
            try db.execute("INSERT INTO t VALUES (\(3))")
            #expect(try db.query("SELECT count(*) FROM t")[0].decode(Int.self, at: 0) == 1)
        }
    }

    @Test func aCommittedTransactionKeepsItsRows() throws {
        try TestDatabase.withFreshConnection { db in
            try db.executeScript("CREATE TABLE t (id bigint)")
            let inserted = try db.transaction { tx in
                try (1...3).reduce(0) { total, id in total + (try tx.execute("INSERT INTO t VALUES (\(id))")) }
            }
            #expect(inserted == 3)
            #expect(try db.query("SELECT sum(id) FROM t")[0].decode(Int.self, at: 0) == 6)
        }
    }

    @Test func serverErrorsCarryDiagnostics() throws {
        try TestDatabase.withFreshConnection { db in
            #expect {
                try db.query("SELECT * FROM no_such_table WHERE secret = \("hunter2")")
            } throws: { error in
                let error = try #require(error as? PostgresError)
                // 42P01 is undefined_table.
                return error.sqlState == "42P01" && error.message.contains("no_such_table")
                    && !error.description.contains("hunter2")
            }
        }
    }

    @Test func copyLoadsAMillionRows() throws {
        try TestDatabase.withFreshConnection { db in
            try db.executeScript("CREATE TABLE t (id bigint, label text, score double precision, flag boolean)")
            let total = 1_000_000
            var next = 0
            let stored = try db.copyIn("COPY t (id, label, score, flag) FROM STDIN") { writer in
                let end = min(next + 10_000, total)
                while next < end {
                    writer.append(next)
                    try writer.append("row\t\(next)\n\\")  // tab, newline and backslash need escaping
                    writer.append(Double(next) / 2)
                    if next % 10 == 0 { writer.appendNull() } else { writer.append(next % 2 == 0) }
                    writer.endRow()
                    next += 1
                }
                return next < total
            }
            #expect(stored == total)
            let row = try db.query(
                "SELECT count(*), sum(id), count(flag), max(label) FILTER (WHERE id = 12345), sum(score) FROM t"
            )[0]
            #expect(try row.decode(Int.self, at: 0) == total)
            // Σ_{i<n} i = n(n−1)/2 = 499999500000.
            #expect(try row.decode(Int64.self, at: 1) == 499_999_500_000)
            // Every tenth flag is NULL: 900000 non-null.
            #expect(try row.decode(Int.self, at: 2) == 900_000)
            #expect(try row.decode(String.self, at: 3) == "row\t12345\n\\")
            #expect(try row.decode(Double.self, at: 4) == 249_999_750_000)
        }
    }

    @Test func aFailingCopyStoresNothing() throws {
        try TestDatabase.withFreshConnection { db in
            try db.executeScript("CREATE TABLE t (id bigint, label text)")
            var calls = 0
            #expect(throws: PostgresError.self) {
                try db.copyIn("COPY t FROM STDIN", chunkBytes: 64) { writer in
                    calls += 1
                    writer.append(calls)
                    try writer.append(calls == 50 ? "bad\u{0}" : "ok")
                    writer.endRow()
                    return true
                }
            }
            // A server-side error (a row with too few columns) aborts the whole COPY too.
            #expect(throws: PostgresError.self) {
                try db.copyIn("COPY t FROM STDIN") { writer in
                    writer.append(1)
                    writer.endRow()
                    return false
                }
            }
            #expect(try db.query("SELECT count(*) FROM t")[0].decode(Int.self, at: 0) == 0)
            #expect(db.isHealthy)
        }
    }
}

/// The COPY fast paths write the same values the bind-parameter path does.
@Suite struct CopyEncodingTests {
    @Test func structuredValuesSurviveCopy() throws {
        try TestDatabase.withFreshConnection { db in
            try db.executeScript("CREATE TABLE t (id uuid, at timestamptz, words text[], scores float8[], counts bigint[], j jsonb)")
            let id = UUID(uuidString: "00FF10AB-0000-4000-8000-0123456789AB")!
            // 1969-12-31 23:59:59.000001 UTC (before the epoch) and a leap day.
            let times = [Date(timeIntervalSince1970: -0.999999), Date(timeIntervalSince1970: 951_825_600.25)]
            let words = ["plain", "with \"quotes\"", "back\\slash", "tab\there", "new\nline", "NULL", "", "ünï 🚀", "{braces},"]
            let scores = [0.1, -2.5e-10, 1e300, .infinity, -.infinity]
            _ = try db.copyIn("COPY t FROM STDIN") { writer in
                for time in times {
                    writer.append(id)
                    writer.append(time)
                    try writer.append(words)
                    writer.append(scores)
                    writer.append([Int64.min, 0, Int64.max])
                    try writer.append(#"{"a": [1, "x\ty"]}"#)
                    writer.endRow()
                }
                return false
            }
            let rows = try db.query("SELECT id, at, words, scores, counts, j->'a'->>1 AS inner FROM t ORDER BY at")
            #expect(rows.count == 2)
            for (row, time) in zip(rows, times) {
                #expect(try row.decode(UUID.self, column: "id") == id)
                #expect(abs(try row.decode(Date.self, column: "at").timeIntervalSince1970 - time.timeIntervalSince1970) < 1e-6)
                #expect(try row.decode([String].self, column: "words") == words)
                #expect(try row.decode([Double].self, column: "scores") == scores)
                #expect(try row.decode([Int64].self, column: "counts") == [Int64.min, 0, Int64.max])
                #expect(try row.decode(String.self, column: "inner") == "x\ty")
            }
        }
    }
}
