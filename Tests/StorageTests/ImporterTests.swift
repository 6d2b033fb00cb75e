import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

@testable import Storage

@Suite struct ImporterTests {
    func write(_ text: String, named name: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func migrated(_ body: (PostgresConnection) throws -> Void) throws {
        try TestDatabase.withFreshConnection { db in
            let folder = TestDatabase.repositoryRoot.appendingPathComponent("sql")
            try Migrator(migrations: try Migration.load(from: folder)).migrate(db)
            try body(db)
        }
    }

    @Test func csvInteractionsLoadWithQuotesAndDefaults() throws {
        let path = try write(
            #"""
            unit_id,item_id,event_type,value,occurred_at,session_id
            u1,i1,click,,2026-11-29T05:50:32Z,s1
            "u,2","i ""quoted""",purchase,19.99,1795931432.5,
            u3,i3,view,1,2026-11-29,"multi
            line session"
            """#,
            named: "interactions.csv"
        )
        try migrated { db in
            let report = try Importer(kind: .interactions).run(path: path, connection: db)
            #expect(report.stored == 3 && report.skipped == 0)
            let rows = try db.query("SELECT unit_id, item_id, event_type, value, occurred_at, session_id FROM interactions ORDER BY unit_id")
            #expect(try rows.map { try $0.decode(String.self, column: "unit_id") } == ["u,2", "u1", "u3"])
            #expect(try rows[0].decode(String.self, column: "item_id") == "i \"quoted\"")
            #expect(try rows[0].decode(Double.self, column: "value") == 19.99)
            #expect(try rows[0].decode(Date.self, column: "occurred_at").timeIntervalSince1970 == 1_795_931_432.5)
            #expect(try rows[0].decode(String?.self, column: "session_id") == nil)
            #expect(try rows[1].decode(Double.self, column: "value") == 1)  // default value
            #expect(try rows[1].decode(Date.self, column: "occurred_at").timeIntervalSince1970 == 1_795_931_432)
            #expect(try rows[2].decode(String?.self, column: "session_id") == "multi\nline session")
            #expect(try rows[2].decode(Date.self, column: "occurred_at").timeIntervalSince1970 == 1_795_910_400)
        }
    }

    @Test func timesThatDoNotExistAreRefusedNotRolledOver() throws {
        #expect(RecordDecoder.parseTime("2026-02-28") == Date(timeIntervalSince1970: 1_772_236_800))
        #expect(RecordDecoder.parseTime("2026-02-28 23:59:59") == Date(timeIntervalSince1970: 1_772_323_199))
        for text in ["2026-02-29", "2026-02-30T00:00:00Z", "2026-04-31 00:00:00", "2026-03-09T24:00:00Z", "2026-03-09T12:60:00Z", "2026-13-01"] {
            #expect(RecordDecoder.parseTime(text) == nil, "\(text)")
        }
    }

    @Test func aBadRowStopsTheImportNamingLineAndFieldAndStoresNothing() throws {
        let path = try write(
            """
            unit_id,item_id,event_type,value,occurred_at
            u1,i1,click,1,2026-11-29T05:50:32Z
            u2,i2,clik,1,2026-11-29T05:50:32Z
            u3,i3,click,lots,2026-11-29T05:50:32Z
            u4,,click,1,2026-11-29T05:50:32Z
            u5,i5,click,1,yesterday
            u6,i6,click
            """,
            named: "bad.csv"
        )
        try migrated { db in
            #expect {
                try Importer(kind: .interactions).run(path: path, connection: db)
            } throws: { error in
                let lines = "\(error)".split(separator: "\n").map(String.init)
                return lines[0]
                    == "\(path):3: field \"event_type\": \"clik\" is not an event type; use one of add_to_cart, click, like, purchase, rating, share, view"
                    && lines[1] == "\(path):4: field \"value\": \"lots\" is not a finite number"
                    && lines[2] == "\(path):5: field \"item_id\": is empty"
                    && lines[3]
                        == "\(path):6: field \"occurred_at\": \"yesterday\" is not a time; use ISO 8601 (2026-11-29T05:50:32Z) or seconds since 1970"
                    && lines[4] == "\(path):7: has 3 fields but the header names 5"
                    && lines.last?.hasPrefix("Nothing was imported.") == true
            }
            #expect(try db.query("SELECT count(*) FROM interactions")[0].decode(Int.self, at: 0) == 0)

            // With --skip-bad-rows the good row is stored and the five bad ones counted.
            let report = try Importer(kind: .interactions, skipBadRows: true).run(path: path, connection: db)
            #expect(report.stored == 1 && report.skipped == 5)
            #expect(try db.query("SELECT count(*) FROM interactions")[0].decode(Int.self, at: 0) == 1)
        }
    }

    @Test func jsonLinesItemsKeepAttributeTypesAndReimportUpdates() throws {
        let first = try write(
            """
            {"item_id": "i1", "title": "Red shoes", "body": "running shoes", "attributes": {"price": 59.5, "in_stock": true, "tags": ["a"]}}

            {"item_id": "i2", "title": "Blue hat", "category": "hats"}
            """,
            named: "items.jsonl"
        )
        let second = try write(#"{"item_id": "i1", "title": "Red shoes v2"}"#, named: "items.jsonl")
        let duplicate = try write("item_id,title\ni9,a\ni9,b\n", named: "items.csv")
        try migrated { db in
            #expect(try Importer(kind: .items).run(path: first, connection: db).stored == 2)
            let attributes = try db.query(
                "SELECT attributes->'price' AS price, attributes->'in_stock' AS stock, attributes->>'category' AS category FROM items ORDER BY item_id"
            )
            #expect(try attributes[0].decode(String.self, column: "price") == "59.5")
            #expect(try attributes[0].decode(String.self, column: "stock") == "true")
            #expect(try attributes[1].decode(String.self, column: "category") == "hats")
            #expect(try Importer(kind: .items).run(path: second, connection: db).stored == 1)
            #expect(try db.query("SELECT title FROM items WHERE item_id = 'i1'")[0].decode(String.self, at: 0) == "Red shoes v2")
            #expect(try db.query("SELECT count(*) FROM items")[0].decode(Int.self, at: 0) == 2)
            #expect {
                try Importer(kind: .items).run(path: duplicate, connection: db)
            } throws: { error in
                "\(error)".hasPrefix("\(duplicate):3: field \"item_id\": \"i9\" appears more than once in the file")
            }
        }
    }

    @Test func brokenJSONAndUnknownFilesAreReported() throws {
        let broken = try write("{\"item_id\": \"ok\"}\n{not json\n", named: "items.jsonl")
        let unknown = try write("x", named: "items.xlsx")
        try migrated { db in
            #expect {
                try Importer(kind: .items).run(path: broken, connection: db)
            } throws: { error in "\(error)".hasPrefix("\(broken):2: is not a JSON object") }
            #expect {
                try Importer(kind: .items).run(path: unknown, connection: db)
            } throws: { error in "\(error)".contains("unknown file type; use .csv, .tsv or .jsonl") }
            let count = try db.query("SELECT count(*) FROM items")[0].decode(Int.self, at: 0)
            #expect(count == 0)
        }
    }
}
