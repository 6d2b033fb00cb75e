/// Benchmarks of the Assignment area; see docs/benchmarks.md for the figures.
enum AssignmentBench {
    static func run() async throws {
        print("Assignment: no benchmark yet")
    }
}
