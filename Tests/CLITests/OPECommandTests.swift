import ArgumentParser
import Foundation
import Testing

@testable import CLI

/// `abctl ope --csv`: parsed in process on small files, values worked out by hand.
struct OPECommandTests {
    /// Writes `text` to a fresh temporary file and returns its path.
    static func file(_ text: String, name: String = "logs.csv") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-ope-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func command(_ arguments: [String]) throws -> OPECommand {
        try #require(try ABCtl.parseAsRoot(["ope"] + arguments) as? OPECommand)
    }

    static let openBanditColumns = ["--action-column", "item_id", "--reward-column", "click", "--propensity-column", "propensity_score"]

    /// Open Bandit layout, candidate "always item 1": item 1 was logged on lines 3, 5, 9, 11 with
    /// propensity 0.25 (w = 4) and clicks 1, 1, 0, 1. IPS = 4·3 / 12 = 1; SNIPS = 12 / (4·4) = 0.75.
    @Test func openBanditLayoutByHand() throws {
        let path = try Self.file(OPEFixtures.openBanditSample)
        let report = try Self.command(
            ["--csv", path, "--candidate", "action:1", "--estimators", "ips,snips", "--bootstrap", "0"] + Self.openBanditColumns
        ).evaluateCSV()
        #expect(report.decisions == 12)
        #expect(report.actions == ["0", "1", "2"])
        #expect(report.estimates.map(\.value) == [1, 0.75])
        // At position 1 only (lines 2, 5, 8, 11): item 1 on lines 5 and 11, both clicked:
        // IPS = (4 + 4) / 4 = 2; SNIPS = 8 / 8 = 1.
        let first = try Self.command(
            ["--csv", path, "--candidate", "action:1", "--estimators", "ips,snips", "--position", "1", "--bootstrap", "0"]
                + Self.openBanditColumns
        ).evaluateCSV()
        #expect(first.decisions == 4)
        #expect(first.estimates.map(\.value) == [2, 1])
    }

    /// The candidate from pi_ columns, features from x_*. w = π/0.5: 1.6, 0.4, 0.4, 1.6; rewards 1, 0, 0, 1.
    /// IPS = (1.6 + 1.6)/4 = 0.8; SNIPS = 3.2/4 = 0.8; DM with per-action means q̂(a) = q̂(b) = 0.5 is
    /// 0.5; DR = 0.5 + (1.6·0.5 − 0.4·0.5 − 0.4·0.5 + 1.6·0.5)/4 = 0.5 + 0.3 = 0.8.
    @Test func candidateFromPiColumns() throws {
        let path = try Self.file(
            "x_1,action,reward,propensity,pi_a,pi_b\n0.5,a,1,0.5,0.8,0.2\n-1,b,0,0.5,0.8,0.2\n2,a,0,0.5,0.2,0.8\n0,b,1,0.5,0.2,0.8\n"
        )
        let report = try Self.command(["--csv", path, "--reward-model", "mean", "--bootstrap", "50"]).evaluateCSV()
        #expect(report.features == ["x_1"])
        let values = report.estimates.map(\.value)
        for (got, want) in zip(values, [0.8, 0.8, 0.5, 0.8]) { #expect(abs(got - want) < 1e-12) }
        #expect(report.json().contains("\"estimator\" : \"DR\""))
    }

    /// Bad rows: an error naming the file, line and column, and nothing is computed.
    @Test(arguments: [
        ("action,reward,propensity\na,1,0.5\nb,abc,0.5\n", "logs.csv:3: column 'reward': 'abc' is not a number"),
        ("action,reward,propensity\na,1,0.5\nb,1,0\n", "logs.csv:3: column 'propensity': propensity 0.0 is not in (0, 1]"),
        ("action,reward,propensity\na,1\n", "logs.csv:2: column 'propensity': the row has only 2 fields"),
        ("action,reward,propensity,x_age\na,1,0.5,ten\n", "logs.csv:2: column 'x_age': 'ten' is not a number"),
        ("action,click,propensity\na,1,0.5\n", "no column 'reward'; the header has action, click, propensity; name the column with --reward-column"),
        ("action,reward,propensity,pi_a,pi_b\na,1,0.5,0.5,0.6\n", "logs.csv:2: the pi_ columns sum to 1.1"),
    ])
    func badRowsNameLineAndColumn(text: String, message: String) throws {
        let path = try Self.file(text)
        let command = try Self.command(["--csv", path, "--candidate", text.contains("pi_") ? "columns" : "action:a", "--bootstrap", "0"])
        #expect {
            try command.evaluateCSV()
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    /// Flags checked before anything runs.
    @Test(arguments: [
        ["--csv", "x.csv", "--experiment", "home", "--candidate", "arm:a"],
        ["--experiment", "home"],
        ["--csv", "x.csv", "--estimators", "ips,magic"],
        ["--csv", "x.csv", "--clip", "0"],
        ["--csv", "x.csv", "--candidate", "weights:a=x"],
        ["--experiment", "home", "--candidate", "arm:a", "--reward", "latency"],
    ])
    func invalidFlagsAreRefused(arguments: [String]) {
        #expect(throws: (any Error).self) { try ABCtl.parseAsRoot(["ope"] + arguments) }
    }

    /// --clip adds clipped IPS right after plain IPS.
    @Test func clipAddsClippedIPS() throws {
        let command = try Self.command(["--csv", "x.csv", "--estimators", "ips,dr", "--clip", "5"])
        #expect(try command.selectedEstimators() == [.inversePropensity(), .inversePropensity(clip: 5), .doublyRobust])
    }
}

/// The header names the reward model and only the features it uses: twelve at most, none for
/// the per-action mean.
struct OPEFeatureLineTests {
    /// 15 features x_1 … x_15, four rows, two actions logged at 0.5.
    static func logs() throws -> String {
        let header = "action,reward,propensity," + (1...15).map { "x_\($0)" }.joined(separator: ",")
        let rows = ["a,1,0.5", "b,0,0.5", "a,0,0.5", "b,1,0.5"].enumerated().map { index, row in
            row + "," + (1...15).map { "\(Double($0 * (index + 1)) / 10)" }.joined(separator: ",")
        }
        return try OPECommandTests.file(([header] + rows).joined(separator: "\n") + "\n")
    }

    @Test func meanRewardModelListsNoFeature() throws {
        let report = try OPECommandTests.command(["--csv", try Self.logs(), "--candidate", "action:a", "--reward-model", "mean", "--bootstrap", "0"])
            .evaluateCSV()
        let lines = report.table().split(separator: "\n").map(String.init)
        #expect(lines[1] == "4 logged decisions, 2 actions (a, b)")
        #expect(lines[2] == "reward model (DM, DR): mean reward per action; the 15 features are not used")
        #expect(!report.table().contains("x_1"))
        #expect(report.json().contains("\"rewardModel\" : \"mean\""))
    }

    @Test func ridgeListsTwelveFeaturesAtMost() throws {
        let report = try OPECommandTests.command(["--csv", try Self.logs(), "--candidate", "action:a", "--bootstrap", "0"]).evaluateCSV()
        let line = report.table().split(separator: "\n").map(String.init)[2]
        #expect(line == "reward model (DM, DR): ridge, λ 1, on 15 features (x_1, x_2, x_3, x_4, x_5, x_6, x_7, x_8, x_9, x_10, x_11, x_12, …)")
    }
}
