import Foundation
import Stats
import Strategies

/// The embedding strategies' HNSW index (docs/strategies.md, "Nearest-neighbour index"):
///
/// - `abctl-bench index`: recall@10 against exact top 10, build time, memory and query time
///   at `INDEX_ITEMS` (default 1,000,000) synthetic ALS-like vectors of 64 factors, for
///   ef_search 50…800 at M 16 / ef_construction 200. `INDEX_DUMP=DIR` also writes the vectors,
///   queries and exact answers as raw float32/int32 files for scripts/index_peers.py (FAISS
///   and the hnswlib Python binding on the same data).
/// - `abctl-bench index-threshold`: ALS decision time, exact against indexed, for the
///   catalogue sizes in `INDEX_SIZES` (default 2,000…50,000): where the index starts to pay
///   (`index_min_items`); and NDCG@10 of both on a leave-one-out split of the same data.
enum IndexBench {
    static let factors = 64

    static func run() async throws {
        let items = Int(ProcessInfo.processInfo.environment["INDEX_ITEMS"] ?? "") ?? 1_000_000
        let queryCount = 1_000
        let data = SyntheticFactors(items: items, queries: queryCount, factors: factors, seed: 7)
        let exact = Timing.seconds { _ = data.exactTop(10) }
        let truth = data.exactTop(10)
        print(String(format: "%d items × %d factors; exact top 10 of %d queries (2 threads): %.2f s", items, factors, queryCount, exact))
        if let folder = ProcessInfo.processInfo.environment["INDEX_DUMP"] { try data.dump(to: folder, truth: truth) }
        let before = residentBytes()
        var index: InnerProductIndex?
        let build = Timing.seconds {
            index = InnerProductIndex(dimensions: factors, capacity: items, settings: IndexSettings())
            _ = index?.add(rows: data.items, firstLabel: 0, threads: ProcessInfo.processInfo.activeProcessorCount)
        }
        guard let index else { throw BenchError.index }
        let memory = residentBytes() - before
        let bytes = index.serialized().count
        print(
            String(
                format: "build (M 16, ef_construction 200, 2 threads): %.1f s; resident +%.0f MB; saved %.0f MB; factors alone %.0f MB",
                build,
                Double(memory) / 1e6,
                Double(bytes) / 1e6,
                Double(items * factors * 4) / 1e6
            )
        )
        print("\n| ef_search | recall@10 | query p50 µs | p99 µs |")
        print("|---|---|---|---|")
        for ef in [50, 100, 200, 400, 800] {
            var hits = 0
            var times: [Double] = []
            for (query, answer) in zip(data.queryRows, truth) {
                var found: [(label: Int32, score: Float)] = []
                times.append(Timing.seconds { found = index.search(query, k: 10, ef: ef) } * 1e6)
                hits += Set(found.map(\.label)).intersection(answer).count
            }
            let recall = Double(hits) / Double(10 * truth.count)
            print(String(format: "| %d | %.4f | %.0f | %.0f |", ef, recall, Timing.median(times), Timing.quantile(times, 0.99)))
        }
    }

    /// ALS recommend time with and without the index as the catalogue grows.
    static func threshold() async throws {
        print("| items | exact p50 µs | indexed p50 µs | indexed / exact | top-10 overlap | NDCG@10 exact | NDCG@10 indexed |")
        print("|---|---|---|---|---|---|---|")
        let sizes = (ProcessInfo.processInfo.environment["INDEX_SIZES"] ?? "2000,5000,10000,20000,50000").split(separator: ",").compactMap { Int($0) }
        for items in sizes {
            let data = PlantedBenchData(seed: 3, users: 2_000, items: items, perUser: 20)
            var medians: [Double] = []
            var lists: [[[String]]] = []
            var quality: [Double] = []
            for minimum in [1_000_000_000, 0] {
                let parameters: [String: ParameterValue] = ["factors": 64, "iterations": 3, "index_min_items": .integer(minimum)]
                let strategy = try StrategyRegistry.make(name: "als", parameters: parameters)
                try strategy.fit(data.training, catalogue: data.catalogue)
                quality.append(data.ndcg(strategy))
                let requests = data.heldOut.prefix(1_000).map { RecommendationRequest(unit: $0.unit, excludedItems: $0.seen, k: 10) }
                var runs: [Double] = []
                var answers: [[String]] = []
                for repetition in 0..<3 {
                    var times: [Double] = []
                    for request in requests {
                        var answer: [ScoredItem] = []
                        times.append(Timing.seconds { answer = strategy.recommend(request) } * 1e6)
                        if repetition == 0 { answers.append(answer.map(\.item)) }
                    }
                    runs.append(Timing.median(times))
                }
                medians.append(Timing.median(runs))
                lists.append(answers)
            }
            let overlap = zip(lists[0], lists[1]).map { Double(Set($0).intersection($1).count) / Double(max($0.count, 1)) }
            print(
                String(
                    format: "| %d | %.1f | %.1f | %.2f | %.3f | %.5f | %.5f |",
                    items,
                    medians[0],
                    medians[1],
                    medians[1] / medians[0],
                    overlap.reduce(0, +) / Double(max(overlap.count, 1)),
                    quality[0],
                    quality[1]
                )
            )
        }
    }

    /// The process's resident memory, from /proc/self/statm.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    enum BenchError: Error { case index }
}

/// ALS-like item and query vectors: 256 taste clusters, Gaussian spread around each centre,
/// and log-normal norms (popular items have longer vectors, as fitted ALS factors do), so
/// the largest inner product is not the nearest direction.
struct SyntheticFactors: Sendable {
    let items: [Float]
    let queryRows: [[Float]]
    let factors: Int

    init(items count: Int, queries: Int, factors: Int, seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        func normal() -> Float { Float(RandomVariates.standardNormal(using: &generator)) }
        let scale = 1 / Float(factors).squareRoot()
        let centres = (0..<256).map { _ in (0..<factors).map { _ in normal() * scale } }
        var items = [Float]()
        items.reserveCapacity(count * factors)
        for _ in 0..<count {
            let centre = centres[Int(generator.next() % 256)]
            let norm = exp(0.5 * normal())
            for d in 0..<factors { items.append((centre[d] + 0.7 * normal() * scale) * norm) }
        }
        self.items = items
        queryRows = (0..<queries).map { _ in
            let centre = centres[Int(generator.next() % 256)]
            return (0..<factors).map { centre[$0] + 0.7 * normal() * scale }
        }
        self.factors = factors
    }

    /// Each query's exact top `k` labels by inner product, on every core.
    func exactTop(_ k: Int) -> [Set<Int32>] {
        let count = items.count / factors
        // Each iteration writes only its own slot.
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<Set<Int32>>.allocate(capacity: queryRows.count)
        results.initialize(repeating: [])
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: queryRows.count) { q in
            let query = queryRows[q]
            var best: [(Float, Int32)] = []
            var bar = -Float.infinity
            items.withUnsafeBufferPointer { rows in
                for item in 0..<count {
                    var sum: Float = 0
                    let base = item * factors
                    for d in 0..<factors { sum += rows[base + d] * query[d] }
                    guard sum > bar || best.count < k else { continue }
                    best.append((sum, Int32(item)))
                    best.sort { $0.0 > $1.0 }
                    if best.count > k { best.removeLast() }
                    if best.count == k { bar = best[k - 1].0 }
                }
            }
            results[q] = Set(best.map(\.1))
        }
        return Array(results)
    }

    /// items.f32, queries.f32 (row-major float32) and truth.i32 (k = 10 labels per query).
    func dump(to folder: String, truth: [Set<Int32>]) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try items.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: "\(folder)/items.f32")) }
        try queryRows.flatMap { $0 }.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: "\(folder)/queries.f32")) }
        try truth.flatMap { $0.sorted() }.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: "\(folder)/truth.i32")) }
    }
}
