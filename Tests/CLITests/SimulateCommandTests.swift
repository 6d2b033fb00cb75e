import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

@testable import CLI
@testable import Storage

/// `abctl simulate data` parsed and run in process; its files are read back with the importer's own parser.
@Suite struct SimulateCommandTests {
    static func command(_ arguments: [String]) throws -> SimulateDataCommand {
        let parsed = try ABCtl.parseAsRoot(["simulate", "data"] + arguments)
        return try #require(parsed as? SimulateDataCommand)
    }

    static func temporaryFolder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("abctl-simulate-\(UUID().uuidString)").path
    }

    /// Every row of a written file, decoded as `abctl import` decodes it.
    static func records(_ path: String) throws -> [([String: String], Int)] {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        var source = try RecordSource(path: path, bytes: bytes)
        var rows: [([String: String], Int)] = []
        while let row = try source.next() { rows.append(row) }
        return rows
    }

    @Test func writesFilesThatTheImporterReads() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let command = try Self.command(["--items", "40", "--users", "30", "--days", "2", "--seed", "3", "--start", "2026-11-01", "--out", folder])
        let output = try command.execute(today: Date())

        let itemsPath = folder + "/items.csv"
        let itemsText = try String(contentsOfFile: itemsPath, encoding: .utf8)
        #expect(itemsText.hasPrefix("item_id,title,body,category,brand,price_band\n"))
        let items = try Self.records(itemsPath)
        #expect(items.count == 40)
        for (fields, line) in items {
            let item = try RecordDecoder.item(fields, line: line)
            #expect(item.itemID == "i\(line - 1)")
            #expect(!item.body.isEmpty && item.attributesJSON.contains("price_band"))
        }
        // Some bodies hold commas, so quoting was exercised and survived the round trip.
        #expect(items.contains { $0.0["body"]?.contains(",") == true })

        let interactionsPath = folder + "/interactions.csv"
        let interactionsText = try String(contentsOfFile: interactionsPath, encoding: .utf8)
        #expect(interactionsText.hasPrefix("unit_id,item_id,event_type,value,occurred_at,session_id\n"))
        let rows = try Self.records(interactionsPath).map { try RecordDecoder.interaction($0.0, line: $0.1) }
        #expect(!rows.isEmpty)
        #expect(output.contains("wrote 40 items") && output.contains("wrote \(rows.count) interactions"))
        // 2026-11-01T00:00:00Z = 1 793 491 200 s (python3 datetime); two days later is + 172 800 s,
        // plus up to an hour for a session that runs past midnight.
        let first = Date(timeIntervalSince1970: 1_793_491_200)
        #expect(rows.allSatisfy { $0.occurredAt >= first && $0.occurredAt < first + 172_800 + 3_600 })
        #expect(rows.map(\.occurredAt) == rows.map(\.occurredAt).sorted())
        #expect(Set(rows.map(\.eventType)).isSubset(of: ["view", "click", "add_to_cart", "purchase"]))
        #expect(rows.allSatisfy { $0.sessionID?.hasPrefix("s") == true && $0.unitID.hasPrefix("u") })
    }

    /// The real importer loads every written row into a migrated database (needs the test server).
    @Test func importerLoadsEveryRowIntoPostgres() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try Self.command(["--items", "60", "--users", "300", "--days", "3", "--out", folder]).execute(today: Date())
        let rows = try Self.records(folder + "/interactions.csv")
        let written = rows.count
        let revenue = rows.filter { $0.0["event_type"] == "purchase" }.compactMap { Double($0.0["value"] ?? "") }.reduce(0, +)
        #expect(revenue > 0)
        try TestDatabase.withFreshConnection { db in
            try Migrator(migrations: try Migration.load(from: TestDatabase.repositoryRoot.appendingPathComponent("sql"))).migrate(db)
            #expect(try Importer(kind: .items).run(path: folder + "/items.csv", connection: db).stored == 60)
            let report = try Importer(kind: .interactions).run(path: folder + "/interactions.csv", connection: db)
            #expect(report.stored == written && report.skipped == 0)
            let stored = try db.query("SELECT sum(value)::float8 AS revenue FROM interactions WHERE event_type = 'purchase'")
            let storedRevenue = try #require(try stored.map { try $0.decode(Double.self, column: "revenue") }.first)
            #expect(abs(storedRevenue - revenue) < 1e-6)
        }
    }

    @Test func sameSeedWritesTheSameFiles() throws {
        let first = Self.temporaryFolder()
        let second = Self.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(atPath: first)
            try? FileManager.default.removeItem(atPath: second)
        }
        let arguments = ["--items", "20", "--users", "20", "--days", "1", "--start", "2026-11-01", "--drift-day", "0"]
        _ = try Self.command(arguments + ["--out", first]).execute(today: Date())
        _ = try Self.command(arguments + ["--out", second]).execute(today: Date())
        for name in ["items.csv", "interactions.csv"] {
            #expect(FileManager.default.contentsEqual(atPath: first + "/" + name, andPath: second + "/" + name))
        }
    }

    @Test func defaultStartEndsTheHistoryAtTodaysMidnight() throws {
        // 2026-11-29T05:50:32Z is 1 795 931 432 s (python3 datetime); midnight is 1 795 910 400.
        let today = Date(timeIntervalSince1970: 1_795_931_432)
        #expect(SimulateDataCommand.midnight(before: today).timeIntervalSince1970 == 1_795_910_400)
        #expect(SimulatedCSV.iso8601(today) == "2026-11-29T05:50:32Z")
        #expect(SimulateDataCommand.parseDay("2026-11-01")?.timeIntervalSince1970 == 1_793_491_200)
        // A day that does not exist is refused, not rolled over into March.
        for text in ["2026-02-30", "2026-13-01", "2026-11-1", "2026-11-01T00:00:00Z"] {
            #expect(SimulateDataCommand.parseDay(text) == nil, "\(text)")
        }
    }

    @Test func quotesFieldsWithCommasAndQuotes() {
        #expect(SimulatedCSV.row(["a", "b,c", "say \"hi\""]) == "a,\"b,c\",\"say \"\"hi\"\"\"\n")
    }

    @Test(arguments: [
        ["--out", "x", "--days", "0"],
        ["--out", "x", "--days", "3", "--drift-day", "3"],
        ["--out", "x", "--start", "2026-13-01"],
        ["--items", "10"],
        ["--out", "x", "--sessions-per-day", "0"],
    ])
    func rejectsBadOptions(arguments: [String]) {
        #expect(throws: (any Error).self) { try ABCtl.parseAsRoot(["simulate", "data"] + arguments) }
    }
}
