/// Benchmarks of the Metrics area; see docs/benchmarks.md for the figures.
enum MetricsBench {
    static func run() async throws {
        print("Metrics: no benchmark yet")
    }
}
