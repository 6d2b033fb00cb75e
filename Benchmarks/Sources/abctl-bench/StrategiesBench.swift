import Foundation
import Stats
import Strategies

/// Benchmarks of the Strategies area (figures in docs/benchmarks-strategies.md): ALS seconds
/// per sweep against the `implicit` library on the same data, recommend latency (K = 10 over
/// 10,000 items) and observe cost for every strategy, and NDCG@10 on a leave-last-out split.
enum StrategiesBench {
    static func run() async throws {
        let data = PlantedBenchData(seed: 1, users: 8_000, items: 10_000, perUser: 24)
        print("data: \(data.training.count) training interactions, \(data.heldOut.count) held out, 10000 items")
        let als: [String: ParameterValue] = ["factors": 64, "regularization": 0.01, "alpha": 10, "cg_steps": 3]
        try alsSweep(data, parameters: als)
        let configurations: [(String, [String: ParameterValue])] = [
            ("popularity", [:]),
            ("popularity", ["half_life_hours": 24]),
            ("item_knn", [:]),
            ("content", [:]),
            ("als", als.merging(["iterations": 10]) { $1 }),
            ("bpr", ["factors": 64, "iterations": 20]),
            ("markov", [:]),
            (
                "hybrid",
                [
                    "components": .strategies([
                        StrategyComponent(strategy: "als", parameters: als.merging(["iterations": 10]) { $1 }),
                        StrategyComponent(strategy: "item_knn"),
                    ])
                ]
            ),
        ]
        print("\n| strategy | fit s | recommend p50 µs | p99 µs | observe p50 µs | NDCG@10 |")
        print("|---|---|---|---|---|---|")
        for (name, parameters) in configurations { try profile(name, parameters, data) }
        let small = PlantedBenchData(seed: 2, users: 4_000, items: 2_000, perUser: 24)
        print("\nEASE needs items² memory and items³ time; measured on 2,000 items, 4,000 users:")
        print("\n| strategy | fit s | recommend p50 µs | p99 µs | observe p50 µs | NDCG@10 |")
        print("|---|---|---|---|---|---|")
        for (name, parameters) in [("popularity", [:]), ("ease", ["lambda": 100]), ("item_knn", [:])] as [(String, [String: ParameterValue])] {
            try profile(name, parameters, small)
        }
    }

    /// Seconds per ALS sweep, (t(6 sweeps) − t(1 sweep)) / 5 so set-up cancels, then the same for implicit.
    static func alsSweep(_ data: PlantedBenchData, parameters: [String: ParameterValue]) throws {
        func fitSeconds(_ iterations: Int) throws -> Double {
            let strategy = try StrategyRegistry.make(name: "als", parameters: parameters.merging(["iterations": .integer(iterations)]) { $1 })
            return try Timing.seconds { try strategy.fit(data.training, catalogue: data.catalogue) }
        }
        var perSweep: [Double] = []
        for _ in 0..<3 { perSweep.append((try fitSeconds(6) - fitSeconds(1)) / 5) }
        let ours = Timing.median(perSweep)
        print(String(format: "abctl ALS (f=64, 3 CG steps, 2 threads): %.4f s per sweep (median of 3)", ours))
        guard let peer = try runImplicit(data) else { return }
        print(String(format: "implicit ALS (same data, f=64, 3 CG steps, 2 threads): %.4f s per sweep; NDCG@10 %.5f", peer.seconds, peer.ndcg))
        print(String(format: "ratio abctl / implicit: %.2f", ours / peer.seconds))
    }

    static func profile(_ name: String, _ parameters: [String: ParameterValue], _ data: PlantedBenchData) throws {
        let strategy = try StrategyRegistry.make(name: name, parameters: parameters)
        let fit = try Timing.seconds { try strategy.fit(data.training, catalogue: data.catalogue) }
        var latencies: [Double] = []
        for (unit, _, seen) in data.heldOut.prefix(2_000) {
            let request = RecommendationRequest(unit: unit, excludedItems: seen, k: 10)
            latencies.append(Timing.seconds { _ = strategy.recommend(request) })
        }
        let ndcg = data.ndcg(strategy)
        var observes: [Double] = []
        for (index, held) in data.heldOut.prefix(2_000).enumerated() {
            let interaction = Interaction(unit: held.unit, item: held.item, time: 2e9 + Double(index))
            observes.append(Timing.seconds { strategy.observe(interaction) })
        }
        let shown = parameters.keys.sorted().map { "\($0)=\(parameters[$0]?.yamlText ?? "")" }
        let label = ([name] + shown).joined(separator: " ")
        print(
            String(
                format: "| %@ | %.2f | %.1f | %.1f | %.1f | %.5f |",
                label,
                fit,
                Timing.median(latencies) * 1e6,
                Timing.quantile(latencies, 0.99) * 1e6,
                Timing.median(observes) * 1e6,
                ndcg
            )
        )
    }

    /// Writes the split to a temporary folder and runs scripts/strategies_implicit_bench.py on it;
    /// nil (with a note) when Python or implicit is missing.
    static func runImplicit(_ data: PlantedBenchData) throws -> (seconds: Double, ndcg: Double)? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-strategies-bench-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Confidence as implicit reads it (alpha 1): c = 1 + 10·(summed event weight), as abctl's alpha = 10.
        var sums: [String: Float] = [:]
        for interaction in data.training { sums["\(interaction.unit) \(interaction.item)", default: 0] += interaction.weight }
        let training = sums.map { "\($0.key) \(1 + 10 * $0.value)" }.sorted().joined(separator: "\n")
        let heldOut = data.heldOut.map { "\($0.unit) \($0.item)" }.joined(separator: "\n")
        try training.write(to: folder.appendingPathComponent("train.txt"), atomically: true, encoding: .utf8)
        try heldOut.write(to: folder.appendingPathComponent("heldout.txt"), atomically: true, encoding: .utf8)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../scripts/strategies_implicit_bench.py").standardized
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, folder.path]
        // implicit asks for a single-threaded BLAS; its own solver uses the 2 threads.
        process.environment = ProcessInfo.processInfo.environment.merging(["OPENBLAS_NUM_THREADS": "1"]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let json = try JSONSerialization.jsonObject(with: bytes) as? [String: Double],
            let seconds = json["seconds_per_iteration"], let ndcg = json["ndcg10"]
        else {
            print("implicit not measured (python3 with implicit unavailable, exit \(process.terminationStatus))")
            return nil
        }
        return (seconds, ndcg)
    }
}

/// Planted-structure data as in the Strategies tests, at benchmark scale: items around 20
/// cluster centres in 16 dimensions, users picking items by softmax of taste·item.
struct PlantedBenchData {
    var training: [Interaction] = []
    var heldOut: [(unit: String, item: String, seen: Set<String>)] = []
    var catalogue: ItemCatalogue

    init(seed: UInt64, users: Int, items: Int, perUser: Int) {
        var generator = SplitMix64(seed: seed)
        let (clusters, dimensions) = (20, 16)
        func normal() -> Double { RandomVariates.standardNormal(using: &generator) }
        let centres = (0..<clusters).map { _ in (0..<dimensions).map { _ in normal() } }
        let itemCluster = (0..<items).map { _ in Int(generator.next() % UInt64(clusters)) }
        let vectors = itemCluster.map { cluster in centres[cluster].map { $0 + 0.5 * normal() } }
        let popularity = (0..<items).map { _ in normal() }
        catalogue = ItemCatalogue(
            items: (0..<items).map { item in
                let words = (0..<6).map { _ in "topic\(itemCluster[item])word\(generator.next() % 12)" }
                return CatalogueItem(id: "item\(item)", text: words.joined(separator: " "), attributes: ["shelf": "shelf\(item % 8)"])
            }
        )
        for user in 0..<users {
            let taste = centres[Int(generator.next() % UInt64(clusters))].map { $0 + 0.5 * normal() }
            var cumulative = [Double](repeating: 0, count: items)
            var total = 0.0
            for item in 0..<items {
                let logit = 2 * zip(taste, vectors[item]).reduce(0) { $0 + $1.0 * $1.1 } / Double(dimensions).squareRoot() + popularity[item]
                total += exp(min(logit, 50))
                cumulative[item] = total
            }
            var chosen: [Int] = []
            var seen = Set<Int>()
            while chosen.count < perUser {
                let target = generator.nextUnitDouble() * total
                var (low, high) = (0, items - 1)
                while low < high {
                    let mid = (low + high) / 2
                    if cumulative[mid] < target { low = mid + 1 } else { high = mid }
                }
                if seen.insert(low).inserted { chosen.append(low) }
            }
            let time = 1_700_000_000.0 + Double(user) * 3600
            for (step, item) in chosen.dropLast().enumerated() {
                training.append(Interaction(unit: "user\(user)", item: "item\(item)", time: time + Double(step) * 60))
            }
            heldOut.append(("user\(user)", "item\(chosen[perUser - 1])", Set(chosen.dropLast().map { "item\($0)" })))
        }
    }

    /// Mean NDCG@10 over the first 2,000 held-out units (one relevant item: 1/log2(rank + 1)).
    func ndcg(_ strategy: any RecommendationStrategy) -> Double {
        var total = 0.0
        let sample = heldOut.prefix(2_000)
        for (unit, item, seen) in sample {
            let ranked = strategy.recommend(RecommendationRequest(unit: unit, excludedItems: seen, k: 10)).map(\.item)
            if let position = ranked.firstIndex(of: item) { total += 1 / log2(Double(position) + 2) }
        }
        return total / Double(sample.count)
    }
}
