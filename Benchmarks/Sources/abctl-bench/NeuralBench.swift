import Foundation
import Stats
import Strategies

/// Benchmarks of the neural strategies (figures in docs/benchmarks-neural.md): training
/// throughput in events per second, recommend latency p50/p99 (K = 10 over 10,000 items),
/// observe cost, and NDCG@10 against the classic strategies on the same leave-last-out split,
/// on sequential route data (where session order matters) and on the cluster data of the
/// Strategies benchmark (where it does not).
enum NeuralBench {
    static func run() async throws {
        let routes = RouteBenchData(seed: 3, sessions: 30_000, items: 10_000, routes: 3, length: 10)
        print("route data: \(routes.split.training.count) training events, \(routes.split.heldOut.count) held out, 10000 items")
        let classic: [(String, [String: ParameterValue])] = [
            ("popularity", [:]),
            ("item_knn", [:]),
            ("markov", [:]),
            ("als", ["factors": 64, "iterations": 10, "regularization": 0.01, "alpha": 10, "cg_steps": 3]),
        ]
        let neural: [(String, [String: ParameterValue])] = [("gru4rec", ["epochs": 8]), ("two_tower", ["epochs": 8])]
        // Tuning rows: GRU4Rec's own recipe of many sampled negatives per step (its papers use
        // 2048) on the sequential data, and more negatives with less id dropout for two_tower.
        let tunedGRU: [(String, [String: ParameterValue])] = [
            ("gru4rec", ["epochs": 6, "negative_samples": 512, "batch_size": 64]),
            ("gru4rec", ["epochs": 6, "negative_samples": 512, "batch_size": 64, "loss": "bpr_max"]),
        ]
        let tunedTwoTower: [(String, [String: ParameterValue])] = [
            ("two_tower", ["epochs": 6, "negative_samples": 512, "batch_size": 64, "id_dropout": 0.1])
        ]
        printHeader()
        for (name, parameters) in classic + neural + tunedGRU { try profile(name, parameters, routes.split) }

        let clusters = PlantedBenchData(seed: 1, users: 8_000, items: 10_000, perUser: 24)
        let clusterSplit = BenchSplit(training: clusters.training, heldOut: clusters.heldOut, catalogue: clusters.catalogue)
        print("\ncluster data (Strategies benchmark): \(clusters.training.count) training events, \(clusters.heldOut.count) held out, 10000 items")
        printHeader()
        for (name, parameters) in classic + neural + tunedTwoTower { try profile(name, parameters, clusterSplit) }
    }

    static func printHeader() {
        print("\n| strategy | fit s | epochs | train events/s | recommend p50 µs | p99 µs | observe p50 µs | NDCG@10 |")
        print("|---|---|---|---|---|---|---|---|")
    }

    /// Fits, times one recommend per held-out unit (first 2,000) and one observe each, and
    /// scores NDCG@10; for neural strategies also the median seconds per epoch from the
    /// progress observer (an epoch's time includes its validation pass).
    static func profile(_ name: String, _ parameters: [String: ParameterValue], _ split: BenchSplit) throws {
        let strategy = try StrategyRegistry.make(name: name, parameters: parameters)
        let epochs = EpochClock()
        let observer: TrainingProgress.Observer = { _, _, _ in epochs.tick() }
        let fit = try TrainingProgress.reporting(to: observer) {
            try Timing.seconds { try strategy.fit(split.training, catalogue: split.catalogue) }
        }
        var latencies: [Double] = []
        for (unit, _, seen) in split.heldOut.prefix(2_000) {
            let request = RecommendationRequest(unit: unit, excludedItems: seen, k: 10)
            latencies.append(Timing.seconds { _ = strategy.recommend(request) })
        }
        let ndcg = split.ndcg(strategy)
        var observes: [Double] = []
        for (index, held) in split.heldOut.prefix(2_000).enumerated() {
            let interaction = Interaction(unit: held.unit, item: held.item, time: 2e9 + Double(index))
            observes.append(Timing.seconds { strategy.observe(interaction) })
        }
        let perEpoch = epochs.medianSeconds
        let throughput = perEpoch.map { String(format: "%.0f", Double(split.training.count) / $0) } ?? "–"
        let shown = parameters.keys.sorted().map { "\($0)=\(parameters[$0]?.yamlText ?? "")" }
        print(
            String(
                format: "| %@ | %.2f | %@ | %@ | %.1f | %.1f | %.1f | %.4f |",
                ([name] + shown).joined(separator: " "),
                fit,
                epochs.count > 0 ? String(epochs.count) : "–",
                throughput,
                Timing.median(latencies) * 1e6,
                Timing.quantile(latencies, 0.99) * 1e6,
                Timing.median(observes) * 1e6,
                ndcg
            )
        )
    }
}

/// Wall-clock time between progress reports; the first epoch counts from creation.
final class EpochClock: @unchecked Sendable {
    private let lock = NSLock()
    private var last = DispatchTime.now().uptimeNanoseconds
    private var durations: [Double] = []

    func tick() {
        lock.withLock {
            let now = DispatchTime.now().uptimeNanoseconds
            durations.append(Double(now - last) / 1e9)
            last = now
        }
    }

    var count: Int { lock.withLock { durations.count } }
    /// Median epoch seconds, skipping the first epoch (it includes data preparation) when there are several.
    var medianSeconds: Double? {
        lock.withLock { durations.isEmpty ? nil : Timing.median(durations.count > 1 ? Array(durations.dropFirst()) : durations) }
    }
}

/// A leave-last-out split with its catalogue.
struct BenchSplit {
    var training: [Interaction]
    var heldOut: [(unit: String, item: String, seen: Set<String>)]
    var catalogue: ItemCatalogue

    /// Mean NDCG@10 over the first 2,000 held-out units (one relevant item: 1/log2(rank + 1)).
    func ndcg(_ strategy: any RecommendationStrategy) -> Double {
        var total = 0.0
        let sample = heldOut.prefix(2_000)
        for (unit, item, seen) in sample {
            let ranked = strategy.recommend(RecommendationRequest(unit: unit, excludedItems: seen, k: 10)).map(\.item)
            if let position = ranked.firstIndex(of: item) { total += 1 / log2(Double(position) + 2) }
        }
        return total / Double(max(1, sample.count))
    }
}

/// Sessions along hidden routes, as in the neural acceptance test at benchmark scale: each
/// route is a random cycle through all items; a session follows its route's successor with
/// probability 0.9, else jumps at random. The last item of each session is held out.
struct RouteBenchData {
    var split: BenchSplit

    init(seed: UInt64, sessions: Int, items: Int, routes: Int, length: Int) {
        var generator = SplitMix64(seed: seed)
        func below(_ bound: Int) -> Int { Int(generator.next() % UInt64(bound)) }
        let successors = (0..<routes).map { _ in
            var order = Array(0..<items)
            for index in stride(from: items - 1, to: 0, by: -1) { order.swapAt(index, below(index + 1)) }
            var next = [Int](repeating: 0, count: items)
            for position in 0..<items { next[order[position]] = order[(position + 1) % items] }
            return next
        }
        var training: [Interaction] = []
        var heldOut: [(unit: String, item: String, seen: Set<String>)] = []
        for session in 0..<sessions {
            let route = below(routes)
            var item = below(items)
            let start = 1_700_000_000.0 + Double(session) * 10_000
            var seen = Set<String>()
            for step in 0..<length {
                if step == length - 1 {
                    heldOut.append(("s\(session)", "item\(item)", seen))
                } else {
                    training.append(Interaction(unit: "s\(session)", item: "item\(item)", event: "view", time: start + Double(step) * 60))
                    seen.insert("item\(item)")
                }
                item = generator.nextUnitDouble() < 0.9 ? successors[route][item] : below(items)
            }
        }
        split = BenchSplit(training: training, heldOut: heldOut, catalogue: ItemCatalogue(ids: (0..<items).map { "item\($0)" }))
    }
}
