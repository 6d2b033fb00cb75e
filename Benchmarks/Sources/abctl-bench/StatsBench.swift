import Foundation
import Stats

/// Benchmarks of the Stats area: the cost of one full comparison (fixed z or Welch test on
/// both scales, mSPRT on both scales, Beta-Binomial or normal posterior, guardrail, power)
/// per arm × metric, and gbstats 0.8.0 on the same inputs as the peer when it is installed
/// (`GBSTATS_PYTHON=/tmp/gbvenv/bin/python3`, see scripts/stats_bench_peer.py).
enum StatsBench {
    /// The inputs (from scripts/stats_reference_inputs.py), shared with scripts/stats_bench_peer.py.
    static let cases: [(name: String, metric: MetricSpec, control: ArmData, treatment: ArmData)] = [
        (
            "proportion", MetricSpec(name: "conversion", kind: .proportion, minimumDetectableEffect: 0.05),
            ArmData(arm: "a", statistics: SufficientStatistics(count: 20000, sum: 2000, sumOfSquares: 2000)),
            ArmData(arm: "b", statistics: SufficientStatistics(count: 20000, sum: 2110, sumOfSquares: 2110))
        ),
        (
            "mean", MetricSpec(name: "revenue", kind: .mean, guardrail: Guardrail(allowedDegradation: 0.02), minimumDetectableEffect: 0.02),
            ArmData(arm: "a", statistics: SufficientStatistics(count: 5000, sum: 50000, sumOfSquares: 579984)),
            ArmData(arm: "b", statistics: SufficientStatistics(count: 5100, sum: 52275, sumOfSquares: 630099.26))
        ),
        (
            "ratio", MetricSpec(name: "ctr", kind: .ratio, minimumDetectableEffect: 0.05),
            ArmData(
                arm: "a",
                statistics: SufficientStatistics(
                    count: 8000,
                    sum: 7200,
                    sumOfSquares: 22158.04,
                    denominatorSum: 96000,
                    denominatorSumOfSquares: 1_799_919,
                    crossProductSum: 146872.44
                )
            ),
            ArmData(
                arm: "b",
                statistics: SufficientStatistics(
                    count: 8100,
                    sum: 7857,
                    sumOfSquares: 25844.04,
                    denominatorSum: 98820,
                    denominatorSumOfSquares: 1_906_086.51,
                    crossProductSum: 165903.651
                )
            )
        ),
        (
            "mean+CUPED", MetricSpec(name: "revenue", kind: .mean, minimumDetectableEffect: 0.02),
            ArmData(
                arm: "a",
                statistics: SufficientStatistics(count: 6000, sum: 60000, sumOfSquares: 695984),
                covariate: CovariateStatistics(sum: 57000, sumOfSquares: 628125.56, crossProductSum: 633829.36)
            ),
            ArmData(
                arm: "b",
                statistics: SufficientStatistics(count: 6050, sum: 62315, sumOfSquares: 743528.19),
                covariate: CovariateStatistics(sum: 58080, sumOfSquares: 649573.29, crossProductSum: 667864.9272)
            )
        ),
    ]

    static func run() async throws {
        let calls = 2000
        let repetitions = 7
        print("Stats: one full comparison per arm × metric, median of \(repetitions) repetitions of \(calls) calls")
        let peer = peerMicroseconds()
        for c in cases {
            var sink = 0.0
            var samples: [Double] = []
            for _ in 0..<repetitions {
                samples.append(
                    Timing.seconds {
                        for _ in 0..<calls {
                            sink += Comparison.compute(metric: c.metric, control: c.control, treatment: c.treatment).pValue
                        }
                    } / Double(calls) * 1e6
                )
            }
            let median = Timing.median(samples)
            var line = String(format: "  %-11@ %8.2f µs/comparison (p90 of runs %.2f)", c.name as NSString, median, Timing.quantile(samples, 0.9))
            if let p = peer[c.name] {
                line += String(format: "   gbstats %.0f µs  (abctl %.0f× faster)", p, p / median)
            }
            print(line + (sink.isNaN ? " NaN!" : ""))
        }
        let a = cases[1].control.statistics.estimate(kind: .mean)
        let b = cases[1].treatment.statistics.estimate(kind: .mean)
        let pa = cases[0].control.statistics
        let pb = cases[0].treatment.statistics
        let parts: [(String, () -> Double)] = [
            ("Welch t (one scale)", { WelchTTest.compute(control: a, treatment: b).pValue }),
            ("two-proportion z", { TwoProportionZTest.compute(control: pa, treatment: pb).pValue }),
            ("mSPRT", { MixtureSPRT.compute(control: a, treatment: b).pValue }),
            ("Beta-Binomial, 2,000 conversions", { BetaBinomialTest.compute(control: pa, treatment: pb).chanceToBeatControl }),
            ("normal posterior", { NormalPosteriorTest.compute(control: a, treatment: b).chanceToBeatControl }),
            ("units per arm for an MDE", { PowerAnalysis.proportionUnitsPerArm(baseRate: 0.1, relativeEffect: 0.05) ?? 0 }),
        ]
        for (name, body) in parts {
            var sink = 0.0
            let median = Timing.median(
                (0..<repetitions).map { _ in Timing.seconds { for _ in 0..<calls { sink += body() } } / Double(calls) * 1e6 }
            )
            print(String(format: "  part: %-34@ %8.2f µs", name as NSString, median) + (sink.isNaN ? " NaN!" : ""))
        }
        let srmPeriods = (0..<10).map { i in AllocationPeriod(unitCounts: [Double(1000 + i), Double(3000 - i)], weights: [0.25, 0.75]) }
        let srm = Timing.median(
            (0..<repetitions).map { _ in
                Timing.seconds { for _ in 0..<calls { _ = SampleRatioMismatch.compute(periods: srmPeriods) } } / Double(calls) * 1e6
            }
        )
        print(String(format: "  SRM, 10 periods × 2 arms: %.2f µs", srm))
    }

    /// gbstats' medians (µs) from scripts/stats_bench_peer.py, when an interpreter with gbstats exists.
    static func peerMicroseconds() -> [String: Double] {
        let python = ProcessInfo.processInfo.environment["GBSTATS_PYTHON"] ?? "python3"
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/stats_bench_peer.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script.path, "100"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = Pipe()
        guard (try? process.run()) != nil else { return [:] }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            print("  (gbstats peer not run: set GBSTATS_PYTHON to an interpreter with gbstats)")
            return [:]
        }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Double] ?? [:]
    }
}
