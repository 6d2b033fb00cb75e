/// Benchmarks of the Copy area; see docs/benchmarks.md for the figures.
enum CopyBench {
    static func run() async throws {
        print("Copy: no benchmark yet")
    }
}
