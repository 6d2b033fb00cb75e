import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

/// Binary COPY stores exactly the values written; PostgreSQL's own text output (`::text`)
/// is the reference, so an encoding mistake shows up as a different text, not as our decoder
/// agreeing with our encoder.
@Suite struct BinaryCopyTests {
    @Test func everyFieldTypeIsStoredAsWritten() throws {
        try TestDatabase.withFreshConnection { db in
            try db.executeScript(
                """
                SET TimeZone TO 'UTC';
                CREATE TABLE t (id uuid, name text, version integer, big bigint, p float8, words text[],
                                scores float8[], j jsonb, at timestamptz, maybe text)
                """
            )
            let id = UUID(uuidString: "00FF10AB-0000-4000-8000-0123456789AB")!
            // Text needs no escaping in binary: tabs, newlines, backslashes and quotes go as they are.
            let name = "tab\there new\nline back\\slash \"q\" ünï 🚀"
            let words = ["plain", "with \"quotes\"", "back\\slash", "tab\there", "NULL", "", "{braces},"]
            let stored = try db.copyInBinary("COPY t FROM STDIN (FORMAT binary)") { writer in
                try writer.appendRow { row in
                    row.append(uuid: id)
                    try row.append(text: name)
                    row.append(int4: Int32(-7))
                    row.append(int8: Int64.min)
                    row.append(float8: 0.1)
                    try row.append(textArray: words)
                    row.append(float8Array: [0.1, -2.5e-10, 1e300, .infinity, -.infinity])
                    try row.append(jsonb: #"{"a": [1, "x\ty"], "b": null}"#)
                    // 2000-01-01 00:00:00.000001 UTC: one microsecond after PostgreSQL's epoch.
                    row.append(timestamptz: Date(timeIntervalSince1970: 946_684_800.000001))
                    row.appendNull()
                }
                try writer.appendRow { row in
                    row.append(uuid: id)
                    try row.append(text: "")
                    row.append(int4: Int32.max)
                    row.append(int8: Int64.max)
                    row.append(float8: .nan)
                    try row.append(textArray: [])
                    row.append(float8Array: [])
                    try row.append(jsonb: "[]")
                    // 1969-12-31 23:59:59.000001 UTC, before the Unix epoch.
                    row.append(timestamptz: Date(timeIntervalSince1970: -0.999999))
                    try row.append(text: "present")
                }
                return false
            }
            #expect(stored == 2)
            let rows = try db.query(
                """
                SELECT id::text, name, version::text, big::text, p::text, words::text, scores::text, j::text,
                       at::text, maybe IS NULL AS missing, array_length(words, 1) AS n
                FROM t ORDER BY version
                """
            )
            #expect(rows.count == 2)
            let first = rows[0]
            #expect(try first.decode(String.self, column: "id") == "00ff10ab-0000-4000-8000-0123456789ab")
            #expect(try first.decode(String.self, column: "name") == name)
            #expect(try first.decode(String.self, column: "version") == "-7")
            #expect(try first.decode(String.self, column: "big") == "-9223372036854775808")
            #expect(try first.decode(String.self, column: "p") == "0.1")
            #expect(try first.decode(String.self, column: "words") == #"{plain,"with \"quotes\"","back\\slash","tab\#there","NULL","","{braces},"}"#)
            #expect(try first.decode(String.self, column: "scores") == "{0.1,-2.5e-10,1e+300,Infinity,-Infinity}")
            #expect(try first.decode(String.self, column: "j") == #"{"a": [1, "x\ty"], "b": null}"#)
            #expect(try first.decode(String.self, column: "at") == "2000-01-01 00:00:00.000001+00")
            #expect(try first.decode(Bool.self, column: "missing"))
            let second = rows[1]
            #expect(try second.decode(String.self, column: "version") == "2147483647")
            #expect(try second.decode(String.self, column: "big") == "9223372036854775807")
            #expect(try second.decode(String.self, column: "p") == "NaN")
            #expect(try second.decode(String.self, column: "words") == "{}")
            #expect(try second.decode(String.self, column: "scores") == "{}")
            #expect(try second.decode(String.self, column: "at") == "1969-12-31 23:59:59.000001+00")
            #expect(try !second.decode(Bool.self, column: "missing"))
        }
    }

    @Test func theDistantPastAndFutureAreInfinities() throws {
        try TestDatabase.withFreshConnection { db in
            try db.executeScript("CREATE TABLE t (at timestamptz)")
            _ = try db.copyInBinary("COPY t FROM STDIN (FORMAT binary)") { writer in
                writer.appendRow { $0.append(timestamptz: .distantPast) }
                writer.appendRow { $0.append(timestamptz: .distantFuture) }
                return false
            }
            let texts = try db.query("SELECT at::text FROM t ORDER BY at").map { try $0.decode(String.self, at: 0) }
            #expect(texts == ["-infinity", "infinity"])
        }
    }

    @Test func aRowThatCannotBeWrittenLeavesNoTraceAndTheRestIsStored() throws {
        try TestDatabase.withFreshConnection { db in
            try db.executeScript("CREATE TABLE t (name text, version integer)")
            var refused: [String] = []
            let stored = try db.copyInBinary("COPY t FROM STDIN (FORMAT binary)", chunkBytes: 16) { writer in
                for (name, version) in [("a", 1), ("nul\u{0}byte", 2), ("b", 3), ("too big", Int(Int32.max) + 1), ("c", 4)] {
                    do {
                        try writer.appendRow { row in
                            try row.append(text: name)
                            try row.append(int4: version)
                        }
                    } catch {
                        refused.append(name)
                    }
                }
                return false
            }
            #expect(stored == 3)
            #expect(refused == ["nul\u{0}byte", "too big"])
            let names = try db.query("SELECT name FROM t ORDER BY version").map { try $0.decode(String.self, at: 0) }
            #expect(names == ["a", "b", "c"])
        }
    }

    @Test func aFieldOfTheWrongTypeIsRefusedAndNothingIsStored() throws {
        try TestDatabase.withFreshConnection { db in
            try db.executeScript("CREATE TABLE t (version integer)")
            #expect {
                try db.copyInBinary("COPY t FROM STDIN (FORMAT binary)") { writer in
                    writer.appendRow { $0.append(int4: Int32(1)) }
                    writer.appendRow { $0.append(int8: 2) }  // 8 bytes for a 4-byte column
                    return false
                }
            } throws: { error in
                // 22P03: invalid_binary_representation ("incorrect binary data format").
                (error as? PostgresError)?.sqlState == "22P03"
            }
            #expect(try db.query("SELECT count(*) FROM t")[0].decode(Int.self, at: 0) == 0)
            #expect(db.isHealthy)
        }
    }
}
