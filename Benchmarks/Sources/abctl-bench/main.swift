import Foundation

/// Each area of the product has one benchmark entry point in a file of its own.
let areas: [String: () async throws -> Void] = [
    "assignment": AssignmentBench.run,
    "stats": StatsBench.run,
    "metrics": MetricsBench.run,
    "bandits": BanditsBench.run,
    "strategies": StrategiesBench.run,
    "neural": NeuralBench.run,
    "copy": CopyBench.run,
    "ope": OPEBench.run,
    "interleaving": InterleavingBench.run,
    "report": ReportBench.run,
    "index": IndexBench.run,
    "index-threshold": IndexBench.threshold,
]

let arguments = CommandLine.arguments.dropFirst()
guard let area = arguments.first, let run = areas[area] else {
    print("usage: abctl-bench AREA  (areas: \(areas.keys.sorted().joined(separator: ", ")))")
    exit(2)
}
try await run()
