/// Benchmarks of the Strategies area; see docs/benchmarks.md for the figures.
enum StrategiesBench {
    static func run() async throws {
        print("Strategies: no benchmark yet")
    }
}
