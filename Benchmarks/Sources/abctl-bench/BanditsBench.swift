/// Benchmarks of the Bandits area; see docs/benchmarks.md for the figures.
enum BanditsBench {
    static func run() async throws {
        print("Bandits: no benchmark yet")
    }
}
