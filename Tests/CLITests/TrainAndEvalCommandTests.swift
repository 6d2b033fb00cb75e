import Foundation
import PostgresClient
import PostgresTestSupport
import Storage
import Strategies
import Testing

/// import → train → eval through the built binary, on data with a planted sequential habit:
/// item n is always followed by item n+1 (mod 30), so a Markov chain knows every held-out
/// item while popularity can only guess.
@Suite struct TrainAndEvalCommandTests {
    func plantedInteractions() throws -> String {
        var generator = SystemRandomNumberGenerator()
        return try consecutiveClicksFile(units: 200, length: 6, items: 30, name: "planted") { _ in Int.random(in: 0..<30, using: &generator) }
    }

    @Test func markovLearnsThePlantedHabitAndModelsAreSaved() throws {
        let csv = try plantedInteractions()
        let models = FileManager.default.temporaryDirectory.appendingPathComponent("models-\(UUID().uuidString)").path
        try TestDatabase.withFreshDatabase { conninfo in
            let env = ["DATABASE_URL": conninfo, "ABCTL_MODELS": models]
            #expect(try AbctlBinary.run(["migrate"], environment: env).status == 0)
            let imported = try AbctlBinary.run(["import", "interactions", csv], environment: env)
            #expect(imported.standardOutput.contains("imported 1200 interactions"), "\(imported.combined)")

            let eval = try AbctlBinary.run(
                ["eval", "--strategy", "popularity", "--strategy", "markov", "--k", "10", "--metrics", "ndcg,hit", "--format", "json"],
                environment: env
            )
            #expect(eval.status == 0, "\(eval.combined)")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(eval.standardOutput.utf8)) as? [[String: Any]])
            func metric(_ strategy: String, _ name: String) -> Double {
                (rows.first { $0["strategy"] as? String == strategy }?["metrics"] as? [String: Double])?[name] ?? -1
            }
            // 200 test units (each unit's 6th item). Markov ranks the planted successor first: NDCG@10 = 1.
            #expect(rows.first?["testUnits"] as? Int == 200)
            #expect(metric("markov", "ndcg@10") > 0.95)
            // Popularity cannot know the successor; items seen by the unit are excluded, so at best
            // 10 of 25 candidates: hit@10 ≤ 0.4 on average, and NDCG lower still.
            #expect(metric("popularity", "ndcg@10") < 0.4)
            #expect(metric("markov", "ndcg@10") > metric("popularity", "ndcg@10") + 0.5)

            let spec = TestDatabase.repositoryRoot.appendingPathComponent("experiments/pdp-similar-items-markov.yaml").path
            let train = try AbctlBinary.run(["train", spec], environment: env)
            #expect(train.status == 0, "\(train.combined)")
            let files = try FileManager.default.subpathsOfDirectory(atPath: models).filter { $0.hasSuffix(".model") }
            #expect(!files.isEmpty)
            for file in files {
                let header = try StrategyRegistry.header(of: try Data(contentsOf: URL(fileURLWithPath: models + "/" + file)))
                #expect(header.dataWindow?.count == 1200)
            }
            let bad = try AbctlBinary.run(["eval", "--strategy", "als:factors=zero"], environment: env)
            #expect(bad.status != 0 && bad.standardError.contains("factors"), "\(bad.combined)")
        }
    }
}
