import Foundation
import PostgresTestSupport
import Testing

/// `abctl eval --strategy` reports each strategy's fit time, as `fitSeconds` in JSON and "fit seconds" in CSV
/// and a column of the table, through the built binary on a real database.
@Suite struct EvalFitTimeTests {
    /// 100 units with 5 clicks each over 20 items (unit u clicks items u, u+1, …, mod 20).
    func interactionsFile() throws -> String {
        try consecutiveClicksFile(units: 100, length: 5, items: 20, name: "fit-time") { $0 }
    }

    /// Seconds since boot, to bound a fit time by the whole command's wall time.
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    @Test func everyFormatCarriesAPositiveFitTimeBelowTheCommandsWallTime() throws {
        let csv = try interactionsFile()
        try TestDatabase.withFreshDatabase { conninfo in
            let env = ["DATABASE_URL": conninfo]
            #expect(try AbctlBinary.run(["migrate"], environment: env).status == 0)
            #expect(try AbctlBinary.run(["import", "interactions", csv], environment: env).status == 0)
            let arguments = ["eval", "--strategy", "popularity", "--strategy", "als:factors=8", "--metrics", "ndcg", "--k", "10"]

            let start = Self.now()
            let json = try AbctlBinary.run(arguments + ["--format", "json"], environment: env)
            let wallSeconds = Self.now() - start
            #expect(json.status == 0, "\(json.combined)")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [[String: Any]])
            #expect(rows.count == 2)
            for row in rows {
                let fit = try #require(row["fitSeconds"] as? Double, "\(row)")
                #expect(fit > 0 && fit < wallSeconds, "\(row["strategy"] ?? "") fit \(fit) s, command \(wallSeconds) s")
            }

            let csvRun = try AbctlBinary.run(arguments + ["--format", "csv"], environment: env)
            #expect(csvRun.status == 0, "\(csvRun.combined)")
            let lines = csvRun.standardOutput.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            #expect(lines.first == ["strategy", "test units", "ndcg@10", "coverage", "popularity", "fit seconds"])
            // ALS with 8 factors over 400 interactions takes well over 0.1 ms, the
            // CSV's resolution (4 decimals).
            let alsFit = try #require(lines.last.flatMap { $0.last }.flatMap { Double($0) })
            #expect(lines.last?.first == "als:factors=8")
            #expect(alsFit > 0)

            let table = try AbctlBinary.run(arguments, environment: env)
            #expect(table.status == 0, "\(table.combined)")
            #expect(table.standardOutput.contains("fit seconds"), "\(table.standardOutput)")
        }
    }
}
