import Foundation
import Metrics
import Stats

/// Benchmarks of the Metrics area; figures and commands in docs/benchmarks-metrics.md.
/// 1. NDCG@10 over one million prebuilt judged lists (evaluations per second).
/// 2. A TREC run of 10,000 queries × 100 documents against qrels, parsed and evaluated, beside
///    pytrec_eval on the same files (scripts/metrics_bench_peer.py) when python3 has it.
enum MetricsBench {
    static func run() async throws {
        try ndcgOverOneMillionLists()
        try trecRunEvaluation()
    }

    static func ndcgOverOneMillionLists() throws {
        var generator = SplitMix64(seed: 42)
        let lists = (0..<1_000_000).map { _ -> JudgedRanking in
            let grades = (0..<20).map { _ in Double(generator.next(upperBound: 4 as UInt64)) * (generator.nextUnitDouble() < 0.3 ? 1 : 0) }
            let judged = grades + (0..<5).map { _ in Double(generator.next(upperBound: 4 as UInt64)) }
            return JudgedRanking(grades: grades, judgedGrades: judged)
        }
        var checksum = 0.0
        let times = (0..<5).map { _ in
            Timing.seconds {
                var sum = 0.0
                for list in lists { sum += list.ndcg(at: 10) }
                checksum = sum
            }
        }
        let median = Timing.median(times)
        print(String(format: "ndcg@10 over 1M lists: median %.3f s of 5 → %.2f M evaluations/s (mean %.4f)", median, 1 / median, checksum / 1e6))
    }

    static func trecRunEvaluation() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-metrics-bench")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let runURL = folder.appendingPathComponent("bench.run")
        let qrelsURL = folder.appendingPathComponent("bench.qrels")
        let (runText, qrelsText) = syntheticRun(queries: 10_000, documents: 100)
        try runText.write(to: runURL, atomically: true, encoding: .utf8)
        try qrelsText.write(to: qrelsURL, atomically: true, encoding: .utf8)

        let metrics: [RankingMetric] = [.precision(10), .ndcg(10), .averagePrecision(.max), .reciprocalRank, .recall(10)]
        var parseTimes: [Double] = []
        var evaluateTimes: [Double] = []
        var means: [Double] = []
        for _ in 0..<5 {
            var run = TrecRun(entriesByQuery: [:])
            var qrels = Qrels(gradesByQuery: [:])
            parseTimes.append(
                try Timing.seconds {
                    run = try TrecRun.parse(String(contentsOf: runURL, encoding: .utf8), file: runURL.path)
                    qrels = try Qrels.parse(String(contentsOf: qrelsURL, encoding: .utf8), file: qrelsURL.path)
                }
            )
            evaluateTimes.append(
                Timing.seconds {
                    means = TrecEvaluation(run: run, qrels: qrels, options: .init(metrics: metrics)).means
                }
            )
        }
        let parse = Timing.median(parseTimes)
        let evaluate = Timing.median(evaluateTimes)
        print(
            String(
                format: "TREC 10,000 queries × 100 docs: parse %.3f s, evaluate %.3f s, total %.3f s (median of 5)",
                parse,
                evaluate,
                parse + evaluate
            )
        )
        print("  abctl means: " + zip(metrics, means).map { "\($0)=\(String(format: "%.6f", $1))" }.joined(separator: " "))
        if let peer = try pytrecEvalTimes(run: runURL, qrels: qrelsURL) {
            print(String(format: "  pytrec_eval: parse+evaluate %.3f s, evaluate %.3f s (median of 5)", peer.total, peer.evaluate))
            print(
                String(format: "  ratio pytrec_eval / abctl: total %.2f×, evaluate %.2f×", peer.total / (parse + evaluate), peer.evaluate / evaluate)
            )
            print("  pytrec_eval means: \(peer.means)")
        } else {
            print("  pytrec_eval not available (pip install ir-measures); no peer ratio")
        }
    }

    /// A deterministic run and qrels: each query ranks 100 of 150 candidate documents with random
    /// scores; 20 candidates are judged with grades 0–3, some of them never retrieved.
    static func syntheticRun(queries: Int, documents: Int) -> (run: String, qrels: String) {
        var generator = SplitMix64(seed: 7)
        var run = ""
        var qrels = ""
        run.reserveCapacity(queries * documents * 32)
        for query in 0..<queries {
            let candidates = Array((0..<150).shuffled(using: &generator))
            for (rank, document) in candidates.prefix(documents).enumerated() {
                let score = (generator.nextUnitDouble() * 1000).rounded() / 100
                run += "\(query) Q0 doc\(document) \(rank + 1) \(score) bench\n"
            }
            for document in candidates.shuffled(using: &generator).prefix(20) {
                qrels += "\(query) 0 doc\(document) \(generator.next(upperBound: 4 as UInt64))\n"
            }
        }
        return (run, qrels)
    }

    struct PeerTimes: Decodable {
        let total: Double
        let evaluate: Double
        let means: [String: Double]
    }

    /// Runs scripts/metrics_bench_peer.py on the same files; nil when python3 or pytrec_eval is missing.
    static func pytrecEvalTimes(run: URL, qrels: URL) throws -> PeerTimes? {
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/metrics_bench_peer.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, run.path, qrels.path, "5"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return try? JSONDecoder().decode(PeerTimes.self, from: data)
    }
}
