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
        let unknown = try SimulateBanditCommand.parse(["--arms", "0.1,0.2", "--policy", "greedy"])
        #expect(throws: (any Error).self) { try unknown.simulate() }
        let malformed = try SimulateBanditCommand.parse(["--arms", "0.1,x"])
        #expect(throws: (any Error).self) { try malformed.simulate() }
        let outOfRange = try SimulateBanditCommand.parse(["--arms", "0.1,1.2"])
        #expect(throws: (any Error).self) { try outOfRange.simulate() }
    }
}
