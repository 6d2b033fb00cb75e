import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

@testable import Storage

/// `abctl import outcomes`: outcome events from a file, stored once per (event_id,
/// timestamp) as POST /v1/outcomes stores them; a bad row is refused by line and field.
@Suite struct OutcomeImportTests {
    let files = ImporterTests()

    @Test func outcomesLoadOncePerEventIDAndTimeWithOrWithoutAValue() throws {
        let path = try files.write(
            """
            event_id,unit_id,type,value,timestamp
            o1,u1,order,25.5,2026-11-29T05:50:32Z
            o2,u2,signup,,2026-11-29T06:00:00Z
            o1,u1,order,25.5,2026-11-29T05:50:32Z
            o3,u1,order,4,1795931432.5
            """,
            named: "outcomes.csv"
        )
        try files.migrated { db in
            let report = try Importer(kind: .outcomes).run(path: path, connection: db)
            #expect(report.stored == 3 && report.duplicates == 1 && report.skipped == 0)
            let rows = try db.query("SELECT event_id, unit_id, event_type, value, created_at FROM outcome_events ORDER BY event_id")
            #expect(try rows.map { try $0.decode(String.self, column: "event_id") } == ["o1", "o2", "o3"])
            #expect(try rows.map { try $0.decode(Double?.self, column: "value") } == [25.5, nil, 4])
            #expect(try rows.map { try $0.decode(String.self, column: "event_type") } == ["order", "signup", "order"])
            #expect(try rows[2].decode(Date.self, column: "created_at").timeIntervalSince1970 == 1_795_931_432.5)
            // Importing the file again (a retry) stores nothing new.
            let again = try Importer(kind: .outcomes).run(path: path, connection: db)
            #expect(again.stored == 0 && again.duplicates == 4)
            #expect(try db.query("SELECT count(*) FROM outcome_events")[0].decode(Int.self, at: 0) == 3)
        }
    }

    @Test func aBadOutcomeRowIsRefusedByLineAndFieldAndNothingIsStored() throws {
        let path = try files.write(
            """
            {"event_id": "ok", "unit_id": "u1", "type": "order", "value": 3, "timestamp": "2026-11-29T05:50:32Z"}
            {"event_id": "t", "unit_id": "u1", "type": "Order", "timestamp": "2026-11-29T05:50:32Z"}
            {"event_id": "v", "unit_id": "u1", "type": "order", "value": "much", "timestamp": "2026-11-29T05:50:32Z"}
            {"unit_id": "u1", "type": "order", "timestamp": "2026-11-29T05:50:32Z"}
            {"event_id": "w", "unit_id": "u1", "type": "order", "timestamp": "soon"}
            """,
            named: "outcomes.jsonl"
        )
        try files.migrated { db in
            #expect {
                try Importer(kind: .outcomes).run(path: path, connection: db)
            } throws: { error in
                let lines = "\(error)".split(separator: "\n").map(String.init)
                return lines[0].hasPrefix("\(path):2: field \"type\": \"Order\" is not an outcome type name")
                    && lines[1] == "\(path):3: field \"value\": \"much\" is not a finite number"
                    && lines[2] == "\(path):4: field \"event_id\": is missing"
                    && lines[3] == "\(path):5: field \"timestamp\": \"soon\" is not a time; use ISO 8601 (2026-11-29T05:50:32Z) or seconds since 1970"
                    && lines.last?.hasPrefix("Nothing was imported.") == true
            }
            let stored = try db.query("SELECT count(*) FROM outcome_events")[0].decode(Int.self, at: 0)
            #expect(stored == 0)
        }
    }
}
