import Engine
import Foundation
import PostgresClient
import PostgresTestSupport
import Testing

@testable import Storage

/// Interactions that share a timestamp are read in the order they were imported, so the
/// leave-last-out split holds out the same item on every run: the last of the unit's latest
/// interactions in the file. The expected split comes from a stable sort of the file's rows by
/// time, done here without PostgreSQL.
@Suite struct LeaveLastOutTieTests {
    /// 300 units with 3 to 8 interactions each, written out of time order, most timestamps
    /// shared by several rows of the unit (whole seconds drawn from 3 values), items random.
    static func rows() -> [(unit: String, item: String, time: Int)] {
        var generator = SystemRandomNumberGenerator()
        var rows: [(unit: String, item: String, time: Int)] = []
        for unit in 0..<300 {
            for _ in 0..<Int.random(in: 3...8, using: &generator) {
                rows.append(("u\(unit)", "i\(Int.random(in: 0..<50, using: &generator))", 1_790_000_000 + Int.random(in: 0..<3, using: &generator)))
            }
        }
        rows.shuffle(using: &generator)
        return rows
    }

    @Test func tiedInteractionsKeepTheFileOrderAndTheSplitIsReproducible() throws {
        let rows = Self.rows()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-ties-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("interactions.csv").path
        let csv = "unit_id,item_id,event_type,occurred_at\n" + rows.map { "\($0.unit),\($0.item),click,\($0.time)" }.joined(separator: "\n")
        try csv.write(toFile: path, atomically: true, encoding: .utf8)

        // By hand: each unit's held-out item is the last row, in file order, among its rows at its latest time.
        var expected: [String: String] = [:]
        var latest: [String: Int] = [:]
        for row in rows where row.time >= latest[row.unit, default: .min] {
            latest[row.unit] = row.time
            expected[row.unit] = row.item
        }
        let expectedOrder = rows.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element.item)

        try TestDatabase.withFreshConnection { db in
            try Migrator(migrations: try Migration.load(from: TestDatabase.repositoryRoot.appendingPathComponent("sql"))).migrate(db)
            _ = try Importer(kind: .interactions).run(path: path, connection: db)
            // Make the heap order differ from the file order, as after updates or a VACUUM FULL
            // by another key: the tie-break must come from import_order, not from the scan.
            try db.executeScript("CLUSTER interactions USING interactions_by_unit")
            for _ in 0..<2 {
                let interactions = try TrainingDataStore(connection: db).interactions()
                #expect(interactions.map(\.item) == expectedOrder)
                let (_, test) = OfflineSplit.leaveLastOut.apply(interactions)
                #expect(test.count == 300)
                for (unit, heldOut) in test {
                    #expect(Array(heldOut.keys) == [expected[unit] ?? ""], "unit \(unit)")
                }
            }
        }
    }
}
