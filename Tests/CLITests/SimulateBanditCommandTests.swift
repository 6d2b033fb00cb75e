import Bandits
import Foundation
import Testing

@testable import CLI

@Suite("abctl simulate-bandit")
struct SimulateBanditCommandTests {
    @Test("Parses through the root command and prints one summary row per policy")
    func parseAndRunAll() throws {
        let parsed = try ABCtl.parseAsRoot([
            "simulate-bandit", "--arms", "0.04,0.05,0.06", "--decisions", "2000", "--batch", "500", "--seeds", "3", "--policy", "all",
            "--format", "csv",
        ])
        let command = try #require(parsed as? SimulateBanditCommand)
        let curves = try command.simulate()
        #expect(curves.map(\.policy) == ["thompson", "top_two_thompson", "ucb1", "ucb_tuned", "epsilon_greedy", "softmax", "fixed"])
        #expect(curves.allSatisfy { $0.decisions == [500, 1000, 1500, 2000] && $0.finalRegrets.count == 3 })
        let lines = command.summary(curves).split(separator: "\n")
        #expect(lines.first == "policy,mean_final_regret,standard_error")
        #expect(lines.count == 8)
        // Regret per decision is at most the largest gap 0.02: 2,000 × 0.02 = 40.
        #expect(curves.allSatisfy { $0.finalMean >= 0 && $0.finalMean <= 40 })
    }

    @Test("Writes an SVG chart with one line per policy")
    func svgChart() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bandits-\(UUID().uuidString).svg").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        var command = try SimulateBanditCommand.parse([
            "--arms", "1,1.5", "--gaussian-sd", "2", "--decisions", "1000", "--batch", "250", "--seeds", "2", "--policy", "all",
            "--svg", file,
        ])
        try command.run()
        let svg = try String(contentsOfFile: file, encoding: .utf8)
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 7)
        command.format = .table
        #expect(command.summary(try command.simulate()).contains("thompson"))
    }

    @Test("Rejects an unknown policy and malformed arms with a message naming the fix")
    func validation() throws {
        #expect(throws: (any Error).self) { try SimulateBanditCommand.parse(["--arms", "0.1,0.2", "--policy", "greedy"]) }
        #expect(throws: (any Error).self) { try SimulateBanditCommand.parse(["--arms", "0.1,x"]) }
        #expect(throws: (any Error).self) { try SimulateBanditCommand.parse(["--arms", "0.1,1.2"]) }
    }
}

/// The spec's constraints and policy parameters in `abctl simulate-bandit`, with the spec's
/// defaults, and the flag errors that name the flag.
@Suite("abctl simulate-bandit: constraints and parameters")
struct SimulateBanditConstraintTests {
    static func command(_ arguments: [String]) throws -> SimulateBanditCommand {
        try #require(try ABCtl.parseAsRoot(["simulate-bandit"] + arguments) as? SimulateBanditCommand)
    }

    /// docs/spec.md: burn_in 100, min_weight 0.01, max_change 1 (no limit), control_share 0;
    /// UCB1 exploration √2, softmax temperature 0.1, ε 0.1, top-two 0.5, Beta(1, 1).
    @Test func defaultsAreTheSpecDefaults() throws {
        let command = try Self.command(["--arms", "0.04,0.05,0.06"])
        let constraints = try command.parameters.constraints(armKeys: ["arm0", "arm1", "arm2"])
        #expect(constraints == AllocationConstraints(burnInUnits: 100, floor: 0.01, maxChange: nil, control: nil))
        #expect(
            try command.parameters.adaptivePolicies(gaussian: nil) == [
                .thompson(.bernoulli(priorAlpha: 1, priorBeta: 1)), .topTwoThompson(.bernoulli(priorAlpha: 1, priorBeta: 1), beta: 0.5),
                .ucb1(exploration: 2.0.squareRoot()), .ucbTuned, .epsilonGreedy(epsilon: 0.1, decay: .none), .softmax(temperature: 0.1),
            ]
        )
        let flagged = try Self.command([
            "--arms", "0.1,0.2,0.3", "--burn-in", "7", "--min-weight", "0.05", "--max-change", "0.2", "--control-share", "0.4",
            "--exploration", "1", "--temperature", "0.01", "--epsilon", "0.2", "--top-two-probability", "0.7", "--prior-alpha", "2", "--prior-beta",
            "3",
        ])
        #expect(
            try flagged.parameters.constraints(armKeys: ["arm0", "arm1", "arm2"])
                == AllocationConstraints(burnInUnits: 7, floor: 0.05, maxChange: 0.2, control: .init(arm: "arm0", share: 0.4))
        )
        #expect(
            try flagged.parameters.adaptivePolicies(gaussian: nil) == [
                .thompson(.bernoulli(priorAlpha: 2, priorBeta: 3)), .topTwoThompson(.bernoulli(priorAlpha: 2, priorBeta: 3), beta: 0.7),
                .ucb1(exploration: 1), .ucbTuned, .epsilonGreedy(epsilon: 0.2, decay: .none), .softmax(temperature: 0.01),
            ]
        )
        #expect(try Self.command(["--arms", "0.1,0.2", "--no-constraints"]).parameters.constraints(armKeys: ["arm0", "arm1"]) == .none)
    }

    /// Two Gaussian arms, means 0 and 10, sd 0.001: Thompson knows the best arm after the first
    /// batch. Batch 1 is equal (regret 1,000 × ½ × 10 = 5,000 in expectation); batch 2 is
    /// Thompson's ≈ (0, 1) without constraints (≈ 0 more), and (0.3, 0.7) with a floor of 0.3
    /// (1,000 × 0.3 × 10 = 3,000 more). A burn-in of 2,000 units keeps both batches equal
    /// (10,000). Per run the regret's SD is 10·√(1,000·w(1 − w)) per batch, at most 158, so
    /// over 200 seeds the mean's SE is at most 16; the bounds are 4 SE.
    @Test func theConstraintsShapeTheRegret() throws {
        let base = ["--arms", "0,10", "--gaussian-sd", "0.001", "--decisions", "2000", "--batch", "1000", "--seeds", "200"]
        func regret(_ extra: [String]) throws -> Double {
            try #require(try Self.command(base + extra).simulate().first).finalMean
        }
        #expect(abs(try regret(["--no-constraints"]) - 5_000) < 64)
        #expect(abs(try regret(["--burn-in", "0", "--min-weight", "0.3"]) - 8_000) < 64)
        #expect(abs(try regret(["--burn-in", "2000", "--min-weight", "0"]) - 10_000) < 64)
        // The spec's defaults: burn-in 100 is met by batch 1 (≈ 500 units each), floor 0.01 leaves 10 per batch.
        #expect(abs(try regret([]) - 5_100) < 64)
    }

    @Test func fixedIsAcceptedAsAllPrintsIt() throws {
        let curves = try Self.command(["--arms", "0.1,0.2", "--decisions", "100", "--batch", "50", "--seeds", "1", "--policy", "fixed"]).simulate()
        #expect(curves.map(\.policy) == ["fixed"])
    }

    @Test(arguments: [
        (["--arms", "0.1,0.2", "--batch", "0"], "--batch must be at least 1, got 0"),
        (["--arms", "0.1,0.2", "--decisions", "0"], "--decisions must be at least 1, got 0"),
        (["--arms", "0.1,0.2", "--seeds", "0"], "--seeds must be at least 1, got 0"),
        (["--arms", "0.04,,0.05"], "--arms: arm 2 is empty in '0.04,,0.05'; give one mean per arm, separated by single commas."),
        (["--arms", "0.1,0.2", "--no-constraints", "--burn-in", "5"], "--no-constraints turns every constraint off; drop it or --burn-in"),
        (["--arms", "0.1,0.2", "--max-change", "0"], "--max-change must be in (0, 1], got 0.0"),
        (["--arms", "0.1,0.2", "--temperature", "0"], "--temperature: "),
    ])
    func badFlagsAreNamed(arguments: [String], message: String) throws {
        do {
            _ = try ABCtl.parseAsRoot(["simulate-bandit"] + arguments)
            Issue.record("expected a validation error")
        } catch {
            let text = ABCtl.message(for: error)
            #expect(text.hasPrefix(message), "\(text)")
        }
    }
}
