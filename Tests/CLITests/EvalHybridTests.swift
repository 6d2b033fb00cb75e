import Foundation
import PostgresTestSupport
import Testing

/// A hybrid written on the command line: `--strategy hybrid:…,components=a,b` keeps the
/// components' commas in the one parameter (StrategyArgument), through the built binary.
@Suite struct EvalHybridTests {
    /// 100 units with 5 clicks each over 20 items (unit u clicks items u, u+1, …, mod 20).
    func interactionsFile() throws -> String {
        try consecutiveClicksFile(units: 100, length: 5, items: 20, name: "hybrid") { $0 }
    }

    @Test func aFallbackWhoseFirstComponentFillsTheListRanksAsThatComponent() throws {
        let csv = try interactionsFile()
        try TestDatabase.withFreshDatabase { conninfo in
            let env = ["DATABASE_URL": conninfo]
            #expect(try AbctlBinary.run(["migrate"], environment: env).status == 0)
            #expect(try AbctlBinary.run(["import", "interactions", csv], environment: env).status == 0)
            let fallback = "hybrid:mode=fallback,components=popularity,item_knn"
            let blend = "hybrid:components=popularity:0.3,normalization=rank"
            let run = try AbctlBinary.run(
                [
                    "eval", "--strategy", "popularity", "--strategy", fallback, "--strategy", blend, "--metrics", "ndcg", "--k", "10", "--format",
                    "json",
                ],
                environment: env
            )
            #expect(run.status == 0, "\(run.combined)")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [[String: Any]])
            func ndcg(_ strategy: String) throws -> Double {
                let row = try #require(rows.first { $0["strategy"] as? String == strategy }, "no row for \(strategy) in \(rows)")
                return try #require((row["metrics"] as? [String: Double])?["ndcg@10"])
            }
            // Fallback takes the first component's list and fills only what it lacks; popularity
            // always has 10 items here (20 items, at most 5 seen), so the hybrid's lists, and
            // its NDCG, are popularity's exactly.
            #expect(try ndcg(fallback) == ndcg("popularity"))
            // A rank-normalised blend of one component scores its list 1 − rank/(depth·K): the
            // same order, so the same NDCG (a parameter after the components still parses).
            #expect(try ndcg(blend) == ndcg("popularity"))
        }
    }

    @Test func anUnknownComponentIsRefusedWithTheArgumentAndTheName() throws {
        try TestDatabase.withFreshDatabase { conninfo in
            let env = ["DATABASE_URL": conninfo]
            #expect(try AbctlBinary.run(["migrate"], environment: env).status == 0)
            let run = try AbctlBinary.run(["eval", "--strategy", "hybrid:components=item_knn,nosuch:1", "--k", "10"], environment: env)
            #expect(run.status != 0)
            #expect(run.combined.contains("--strategy hybrid:components=item_knn,nosuch:1"), "\(run.combined)")
            // The error names the component that is wrong, and the strategies there are.
            #expect(run.combined.contains("is 'nosuch', but it must be made of popularity, item_knn"), "\(run.combined)")
        }
    }
}
