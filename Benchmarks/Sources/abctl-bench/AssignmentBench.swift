import Engine
import Foundation
import Spec

/// Benchmarks of the Assignment area: in-process assignments per second on one core, with
/// hashing (holdout, layer, traffic, arm), targeting and weighted arm choice; see
/// docs/benchmarks-assignment.md for the figures.
enum AssignmentBench {
    static func run() async throws {
        let targeting = TargetingRule.all([
            .condition(TargetingCondition(attribute: "platform", test: .oneOf([.text("ios"), .text("android")]))),
            .condition(TargetingCondition(attribute: "days_since_signup", test: .range(gt: nil, gte: nil, lt: 30, lte: nil))),
        ])
        let full = ExperimentSpec(
            name: "bench-full",
            status: .running,
            traffic: 0.9,
            layer: LayerSpec(name: "bench", share: 0.8),
            holdout: HoldoutSpec(share: 0.05),
            targeting: targeting,
            arms: [
                ArmSpec(key: "control", strategy: "popularity", isControl: true, weight: 0.5),
                ArmSpec(key: "als", strategy: "als", weight: 0.3),
                ArmSpec(key: "knn", strategy: "item_knn", weight: 0.2),
            ],
            metrics: MetricsSpec(primary: MetricName(.ndcg, k: 10))
        )
        let hashOnly = ExperimentSpec(
            name: "bench-hash",
            status: .running,
            arms: [ArmSpec(key: "a", strategy: "popularity", weight: 0.5), ArmSpec(key: "b", strategy: "markov", weight: 0.5)],
            metrics: MetricsSpec(primary: MetricName(.ctr))
        )
        let plan = try AssignmentPlan(specs: [full, hashOnly])
        let units = (0..<1_000_000).map { "user-\($0)" }
        let contexts: [[String: AttributeValue]] = (0..<64).map { i in
            ["platform": .text(["ios", "android", "web"][i % 3]), "days_since_signup": .number(Double(i)), "country": .text("DE")]
        }
        for (label, name) in [
            ("hash + weights (no targeting, layer or holdout)", "bench-hash"), ("holdout + layer + traffic + targeting + 3 arms", "bench-full"),
        ] {
            guard let assigner = plan.assigners[name] else { continue }
            var rates: [Double] = []
            var checksum = 0
            for _ in 0..<7 {
                let seconds = Timing.seconds {
                    for (index, unit) in units.enumerated() {
                        let assignment = assigner.assign(unit: unit, context: contexts[index & 63])
                        checksum &+= assignment.arm?.utf8.count ?? 1
                    }
                }
                rates.append(Double(units.count) / seconds)
            }
            let median = Timing.median(rates)
            print(
                String(
                    format: "assignment %@: median %.2f M/s (min %.2f, max %.2f) over 7 × %d units; checksum %d",
                    label,
                    median / 1e6,
                    (rates.min() ?? 0) / 1e6,
                    (rates.max() ?? 0) / 1e6,
                    units.count,
                    checksum
                )
            )
        }
        var hashes: [Double] = []
        var sink: UInt64 = 0
        let hash = UnitHash(salt: "bench")
        for _ in 0..<7 {
            let seconds = Timing.seconds { for unit in units { sink &+= hash.hash(unit) } }
            hashes.append(Double(units.count) / seconds)
        }
        print(String(format: "xxh64 unit hash alone: median %.2f M/s; sink %llu", Timing.median(hashes) / 1e6, sink))
    }
}
