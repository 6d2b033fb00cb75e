/// Benchmarks of the Stats area; see docs/benchmarks.md for the figures.
enum StatsBench {
    static func run() async throws {
        print("Stats: no benchmark yet")
    }
}
