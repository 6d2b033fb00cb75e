import Engine
import Foundation
import Spec

/// Benchmarks of the Assignment area: in-process assignments per second on one core, with
/// hashing (holdout, layer, traffic, arm), targeting and weighted arm choice; see
/// docs/benchmarks-assignment.md for the figures.
enum AssignmentBench {
    /// CPU seconds this thread spent in `body`: on a shared, loaded machine this measures one
    /// core's work, while wall time also counts waiting for a core.
    static func cpuSeconds(_ body: () -> Void) -> Double {
        var start = timespec()
        var end = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start)
        body()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end)
        return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
    }

    /// Median rate in millions per second over `repetitions`, by wall and by CPU time.
    static func rates(count: Int, repetitions: Int = 7, _ body: () -> Void) -> (wall: Double, cpu: Double) {
        var wall: [Double] = []
        var cpu: [Double] = []
        for _ in 0..<repetitions {
            var cpuTime = 0.0
            let wallTime = Timing.seconds { cpuTime = cpuSeconds(body) }
            wall.append(Double(count) / wallTime / 1e6)
            cpu.append(Double(count) / cpuTime / 1e6)
        }
        return (Timing.median(wall), Timing.median(cpu))
    }

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
        let empty: [String: AttributeValue] = [:]
        var checksum = 0
        for (label, name, useContext) in [
            ("hash + weights (no targeting, layer or holdout)", "bench-hash", false),
            ("holdout + layer + traffic + targeting + 3 arms", "bench-full", true),
        ] {
            guard let assigner = plan.assigners[name] else { continue }
            let (wall, cpu) = rates(count: units.count) {
                for (index, unit) in units.enumerated() {
                    let assignment = assigner.assign(unit: unit, context: useContext ? contexts[index & 63] : empty)
                    checksum &+= assignment.arm?.utf8.count ?? 1
                }
            }
            print(String(format: "assignment %@: %.2f M/s by CPU time, %.2f M/s by wall time (medians of 7 × %d)", label, cpu, wall, units.count))
        }
        let evaluator = try TargetingEvaluator(targeting)
        let (targetingWall, targetingCPU) = rates(count: units.count) {
            for index in units.indices where evaluator.matches(contexts[index & 63]) { checksum &+= 1 }
        }
        print(String(format: "targeting alone (2 conditions): %.2f M/s by CPU time, %.2f M/s by wall time", targetingCPU, targetingWall))
        var sink: UInt64 = 0
        let hash = UnitHash(salt: "bench")
        let (hashWall, hashCPU) = rates(count: units.count) { for unit in units { sink &+= hash.hash(unit) } }
        print(
            String(format: "xxh64 unit hash alone: %.2f M/s by CPU time, %.2f M/s by wall time; checksums %d %llu", hashCPU, hashWall, checksum, sink)
        )
    }
}
